import type { PartnershipType } from '../schema/records.js';
import type { AssignedTag } from './inference.js';
import type { TagRelation } from '../taxonomy/taxonomy.js';

/** One part of the blended score. */
export interface ScorePart {
  /** The part's own score, in [0, 1]. */
  readonly score: number;
  /** Its weight in the blend (the weights sum to 1). */
  readonly weight: number;
  /** `score × weight`: what it adds to the match score. */
  readonly contribution: number;
}

/** A need tag and the company tag it met. */
export interface TagEvidence {
  readonly needTag: string;
  readonly companyTag: string;
  readonly relation: Exclude<TagRelation, 'unrelated'>;
  readonly needTagSource: AssignedTag['source'];
  readonly companyTagSource: AssignedTag['source'];
  /** Relation weight × the tags' confidence: how much the pair counted. */
  readonly credit: number;
}

/** A term both texts share, with the phrases that expressed it on each side. */
export interface TermEvidence {
  /** `concept`: a glossary concept met across languages; `word`: the same word stem. */
  readonly kind: 'concept' | 'word';
  /** Concept id or word stem as indexed. */
  readonly term: string;
  /** Readable name: the concept's English term, or the word as written. */
  readonly label: string;
  /** The sector tag a concept belongs to, if any. */
  readonly tag?: string;
  /** Share of the text score this term contributed, in (0, 1]. */
  readonly share: number;
  readonly needPhrases: readonly string[];
  readonly companyPhrases: readonly string[];
  /**
   * A word met across languages through the everyday-word lexicon, and the English word
   * between (`养蜂 ↔ biodling`, via `beekeeping`); on a concept, the Chinese word whose
   * translation named it where no glossary phrase did (`响 ↔ buller`, via `noise`).
   */
  readonly bridge?: { readonly source: 'lexicon'; readonly word: string };
}

export interface CooperationEvidence {
  /** False when either side names no partnership type (the part is then neutral). */
  readonly known: boolean;
  readonly shared: readonly PartnershipType[];
  readonly related: readonly { readonly need: PartnershipType; readonly company: PartnershipType }[];
}

/** Why a match scored what it did; written for coordinators. */
export interface Explanation {
  /** One line, e.g. `tags: environment.wastewater (exact) · text: avloppsreningsverk ↔ 污水处理厂 · cooperation: technology-transfer`. */
  readonly summary: string;
  readonly parts: { readonly tags: ScorePart; readonly text: ScorePart; readonly cooperation: ScorePart };
  readonly needTags: readonly AssignedTag[];
  readonly companyTags: readonly AssignedTag[];
  readonly tags: readonly TagEvidence[];
  readonly terms: readonly TermEvidence[];
  readonly cooperation: CooperationEvidence;
}

/** Term pairs named in the one-line summary. */
const SUMMARY_TERMS = 4;

export function summarize(explanation: Omit<Explanation, 'summary'>): string {
  const pieces: string[] = [];
  if (explanation.tags.length > 0) {
    const tags = explanation.tags
      .slice(0, 3)
      .map((t) => (t.relation === 'exact' ? `${t.needTag} (exact)` : `${t.needTag} ~ ${t.companyTag} (${t.relation})`));
    pieces.push(`tags: ${tags.join(', ')}`);
  } else if (explanation.parts.tags.score > 0) {
    // No pair, yet a tag score: one side names no sector (`neutralTags`).
    pieces.push('tags: sector unknown (neutral)');
  }
  if (explanation.terms.length > 0) {
    // Distinct terms can read the same (a word and its lexicon translation of one stem,
    // `heating ↔ heat` twice): each pair of phrases is shown once, with its first bridge.
    const terms: string[] = [];
    const shown = new Set<string>();
    for (const t of explanation.terms) {
      if (terms.length >= SUMMARY_TERMS) break;
      const need = t.needPhrases[0] ?? t.label;
      const company = t.companyPhrases[0] ?? t.label;
      const pair = need === company ? need : `${need} ↔ ${company}`;
      if (shown.has(pair)) continue;
      shown.add(pair);
      // The English pivot says nothing new when one side already reads it (`水 ↔ water`).
      const bridge = t.bridge === undefined || need === company || t.bridge.word === need || t.bridge.word === company ? '' : ` (${t.bridge.source}: ${t.bridge.word})`;
      terms.push(pair + bridge);
    }
    pieces.push(`text: ${terms.join(', ')}`);
  }
  const coop = explanation.cooperation;
  if (coop.shared.length > 0) pieces.push(`cooperation: ${coop.shared.join(', ')}`);
  else if (coop.related.length > 0) {
    pieces.push(`cooperation: ${coop.related.map((r) => `${r.need} ~ ${r.company}`).join(', ')}`);
  }
  return pieces.length > 0 ? pieces.join(' · ') : 'no shared evidence';
}
