import { glossText, type PartnerNeed } from '@partnermatch/core';
import type { View } from './layout.js';

const LABEL = {
  sv: { title: 'Ordglosa', note: 'Nyckelord ett och ett ur ordlistor — en ordglosa, inte en översättning.', glossary: 'ordlista', lexicon: 'lexikon' },
  en: { title: 'Word gloss', note: 'Key terms one by one from the glossary and lexicon — a word gloss, not a translation.', glossary: 'glossary', lexicon: 'lexicon' },
} as const;

/**
 * A key-term gloss of a need written in another language than the page's (a Chinese need for a
 * Swedish or English reader), so a coordinator who reads no Chinese sees what it is about.
 * Nothing for a Chinese page or a need already in the page's language.
 */
export function NeedGloss({ v, need }: { v: View; need: PartnerNeed }) {
  if (v.lang === 'zh') return null;
  const to = v.lang;
  const seen = new Set<string>();
  const terms = [...glossText(need.title, { to }), ...glossText(need.description, { to, limit: 16 })].filter((entry) => {
    if (seen.has(entry.term)) return false;
    seen.add(entry.term);
    return true;
  });
  if (terms.length === 0) return null;
  const label = LABEL[to];
  return (
    <section class="word-gloss" aria-labelledby="word-gloss-title">
      <h2 id="word-gloss-title">{label.title}</h2>
      <p class="muted">{label.note}</p>
      <dl class="gloss-terms">
        {terms.map((entry) => (
          <div>
            <dt lang="zh">{entry.term}</dt>
            <dd lang={to}>
              {entry.gloss} <small class="muted">({label[entry.source]})</small>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
