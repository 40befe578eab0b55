import { MUNICIPALITIES, type Explanation, type Language, type Match, type MatchFilter, type TermEvidence } from '@partnermatch/core';
import type { z } from 'zod';
import { matchFilterParams } from '../schemas.js';
import type { RecordKind } from '../store.js';
import type { DecisionStatus } from '../store.js';
import { DECISION_STATUSES } from '../store.js';
import type { WebContext } from './context.js';
import { conceptLabel, languageName, partnershipLabel, sectorLabel, UI_LANGUAGES, type UiLanguage } from './i18n.js';
import { Csrf, formatScore, type View } from './layout.js';
import { SectorSelect } from './lists.js';

// ── match filters ───────────────────────────────────────────────────────────

/** The filters of a ranked-match page, as the API's match routes take them (`municipality`, `sector`, `minEmployees`, `maxEmployees`, `language`). */
export interface MatchFilterState {
  /** The filter the valid values make; undefined when none is set. */
  readonly filter: MatchFilter | undefined;
  /** The query parameters that make it, for links that must keep the filter. */
  readonly query: readonly (readonly [string, string])[];
  readonly municipality: readonly string[];
  readonly sector: string;
  readonly minEmployees: string;
  readonly maxEmployees: string;
  readonly language: readonly string[];
  /** Parameters given but not valid (left out of the filter, as a page ignores a bad filter). */
  readonly ignored: readonly string[];
}

/** Filters that describe companies: a company's page ranks needs, which only `sector` filters. */
const COMPANY_FILTERS = new Set(['municipality', 'minEmployees', 'maxEmployees', 'language']);

function parsed<S extends z.ZodType>(schema: S, raw: unknown): { ok: true; value: z.output<S> } | { ok: false } {
  const result = schema.safeParse(raw);
  return result.success ? { ok: true, value: result.data } : { ok: false };
}

/**
 * Reads the match filters of a ranked-match page with the API routes' own zod schemas
 * (`matchFilterParams`), so a page filters exactly as `GET /needs/{id}/matches` does. Invalid
 * values are left out and named in `ignored`; on a company's page only `sector` applies.
 */
export function readMatchFilter(c: WebContext, kind: RecordKind): MatchFilterState {
  const all = (name: string): string[] => (c.req.queries(name) ?? []).filter((value) => value.trim() !== '');
  const ignored: string[] = [];
  const filter: { -readonly [K in keyof MatchFilter]: MatchFilter[K] } = {};
  const query: [string, string][] = [];
  const use = (name: keyof MatchFilter, values: string[], schema: z.ZodType) => {
    if (values.length === 0 || (kind === 'company' && COMPANY_FILTERS.has(name))) return;
    const result = parsed(schema, values.length === 1 ? values[0] : values);
    if (!result.ok || result.value === undefined) {
      ignored.push(name);
      return;
    }
    (filter as Record<string, unknown>)[name] = result.value;
    for (const value of values) query.push([name, value]);
  };
  use('municipality', all('municipality'), matchFilterParams.municipality);
  use('sector', all('sector').slice(0, 1), matchFilterParams.sector);
  use('minEmployees', all('minEmployees').slice(0, 1), matchFilterParams.minEmployees);
  use('maxEmployees', all('maxEmployees').slice(0, 1), matchFilterParams.maxEmployees);
  use('language', all('language'), matchFilterParams.language);
  if (filter.minEmployees !== undefined && filter.maxEmployees !== undefined && filter.minEmployees > filter.maxEmployees) {
    // The API answers 400 here; a page leaves the range out and says so.
    delete filter.minEmployees;
    delete filter.maxEmployees;
    ignored.push('minEmployees', 'maxEmployees');
    for (let i = query.length - 1; i >= 0; i -= 1) if (query[i]![0].endsWith('Employees')) query.splice(i, 1);
  }
  return {
    filter: Object.keys(filter).length === 0 ? undefined : filter,
    query,
    municipality: all('municipality'),
    sector: all('sector')[0] ?? '',
    minEmployees: all('minEmployees')[0] ?? '',
    maxEmployees: all('maxEmployees')[0] ?? '',
    language: all('language'),
    ignored,
  };
}

interface FilterMessages {
  legend: string;
  municipality: string;
  employees: string;
  from: string;
  to: string;
  language: string;
  apply: string;
  clear: string;
  ignored: (names: string) => string;
  note: string;
}

const FILTER_MESSAGES: Readonly<Record<UiLanguage, FilterMessages>> = {
  en: {
    legend: 'Filter the matches',
    municipality: 'Municipality',
    employees: 'Employees',
    from: 'at least',
    to: 'at most',
    language: 'Shared working language',
    apply: 'Filter',
    clear: 'Clear filters',
    ignored: (names) => `Not valid, left out: ${names}.`,
    note: 'Filters leave matches out; they never change the scores of the rest.',
  },
  sv: {
    legend: 'Filtrera matchningarna',
    municipality: 'Kommun',
    employees: 'Anställda',
    from: 'minst',
    to: 'högst',
    language: 'Gemensamt arbetsspråk',
    apply: 'Filtrera',
    clear: 'Rensa filter',
    ignored: (names) => `Ogiltigt, utelämnat: ${names}.`,
    note: 'Filter tar bort matchningar; de ändrar aldrig de övrigas poäng.',
  },
  zh: {
    legend: '筛选匹配结果',
    municipality: '市镇',
    employees: '员工人数',
    from: '至少',
    to: '至多',
    language: '共同工作语言',
    apply: '筛选',
    clear: '清除筛选',
    ignored: (names) => `无效，已忽略：${names}。`,
    note: '筛选只会去掉部分匹配，不会改变其余匹配的分数。',
  },
};

/**
 * The filter form of a ranked-match page (a GET form, so the filtered page has its own
 * address). A need's page filters companies on all five criteria; a company's page (needs) on
 * sector only. `keep` are other query parameters the page keeps (limit, declined).
 */
export function MatchFilterForm(props: { v: View; kind: RecordKind; action: string; state: MatchFilterState; keep: Readonly<Record<string, string | undefined>> }) {
  const { v, kind, state } = props;
  const m = FILTER_MESSAGES[v.lang];
  const companies = kind === 'need';
  return (
    <form method="get" action={`${props.action}#matches`} class="filters match-filters" role="search" aria-label={m.legend} data-testid="match-filters">
      {Object.entries(props.keep).map(([name, value]) => value !== undefined && <input type="hidden" name={name} value={value} />)}
      {companies && (
        <fieldset class="filter">
          <legend>{m.municipality}</legend>
          {MUNICIPALITIES.map((name) => (
            <label class="check">
              <input type="checkbox" name="municipality" value={name} checked={state.municipality.includes(name)} /> {name}
            </label>
          ))}
        </fieldset>
      )}
      <SectorSelect v={v} value={state.sector} id="match-filter-sector" />
      {companies && (
        <fieldset class="filter">
          <legend>{m.employees}</legend>
          <label for="match-filter-min">{m.from}</label>{' '}
          <input id="match-filter-min" type="number" name="minEmployees" min="0" step="1" inputmode="numeric" value={state.minEmployees} />{' '}
          <label for="match-filter-max">{m.to}</label>{' '}
          <input id="match-filter-max" type="number" name="maxEmployees" min="0" step="1" inputmode="numeric" value={state.maxEmployees} />
        </fieldset>
      )}
      {companies && (
        <fieldset class="filter">
          <legend>{m.language}</legend>
          {UI_LANGUAGES.map((code) => (
            <label class="check">
              <input type="checkbox" name="language" value={code} checked={state.language.includes(code)} /> {languageName(v.lang, code)}
            </label>
          ))}
        </fieldset>
      )}
      <div class="filter filter-actions">
        <button type="submit" class="button-primary">
          {m.apply}
        </button>
        {state.query.length > 0 || state.ignored.length > 0 ? (
          <a href={`${props.action}#matches`} class="button-link">
            {m.clear}
          </a>
        ) : null}
      </div>
      <p class="muted small filter-note">{m.note}</p>
      {state.ignored.length > 0 && (
        <p class="field-error" role="alert">
          {m.ignored([...new Set(state.ignored)].join(', '))}
        </p>
      )}
    </form>
  );
}

/** One ranked candidate as a page shows it. */
export interface MatchRow {
  readonly match: Match;
  /** The candidate: a company on a need's page, a need on a company's page. */
  readonly name: string;
  readonly detail: string;
  readonly href: string;
  /** The candidate's detected language (marks its phrases for screen readers). */
  readonly language: Language;
  readonly decision?: DecisionStatus;
}

type Part = 'tags' | 'text' | 'cooperation';
const PARTS: readonly Part[] = ['tags', 'text', 'cooperation'];
/** Most term pairs listed before the rest fold away. */
const TERMS_SHOWN = 5;

/** The patterns that tell the parts apart without colour (defined once per page). */
export function ScorePatterns() {
  return (
    <svg class="svg-defs" width="0" height="0" aria-hidden="true" focusable="false">
      <defs>
        <pattern id="pm-pattern-text" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="6" height="6" class="seg-text" />
          <rect width="2" height="6" fill="#ffffff" fill-opacity="0.45" />
        </pattern>
        <pattern id="pm-pattern-cooperation" width="5" height="5" patternUnits="userSpaceOnUse">
          <rect width="5" height="5" class="seg-cooperation" />
          <circle cx="2.5" cy="2.5" r="1.1" fill="#ffffff" fill-opacity="0.6" />
        </pattern>
      </defs>
    </svg>
  );
}

const FILL: Readonly<Record<Part, string>> = {
  tags: 'seg-tags',
  text: 'url(#pm-pattern-text)',
  cooperation: 'url(#pm-pattern-cooperation)',
};

function Swatch({ part }: { part: Part }) {
  return (
    <svg class="swatch" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      {part === 'tags' ? <rect width="12" height="12" class="seg-tags" /> : <rect width="12" height="12" fill={FILL[part]} />}
    </svg>
  );
}

/**
 * The score as a bar split into what each part adds (score × weight), with the numbers
 * written beside it: the colours and patterns only repeat what the text says.
 */
export function ScoreBar({ v, match }: { v: View; match: Match }) {
  const parts = match.explanation?.parts;
  const contribution = (part: Part): number => parts?.[part].contribution ?? 0;
  let x = 0;
  const segments = PARTS.map((part) => {
    const width = contribution(part) * 100;
    const segment = { part, x, width };
    x += width;
    return segment;
  });
  return (
    <div class="scorebar">
      <svg class="bar" width="100%" height="14" aria-hidden="true" focusable="false">
        <rect width="100%" height="100%" class="bar-track" />
        {segments
          .filter((s) => s.width > 0)
          .map((s) =>
            s.part === 'tags' ? (
              <rect x={`${s.x.toFixed(2)}%`} width={`${s.width.toFixed(2)}%`} height="100%" class="seg-tags" />
            ) : (
              <rect x={`${s.x.toFixed(2)}%`} width={`${s.width.toFixed(2)}%`} height="100%" fill={FILL[s.part]} />
            ),
          )}
      </svg>
      <ul class="legend">
        {PARTS.map((part) => (
          <li
            title={
              parts === undefined ? undefined : v.t.partOf(v.t.parts[part], formatScore(v, parts[part].score), formatScore(v, parts[part].weight))
            }
          >
            <Swatch part={part} />
            {v.t.parts[part]} <strong>{formatScore(v, contribution(part))}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}

function phrases(list: readonly string[], fallback: string): string {
  return list.length === 0 ? fallback : list.join(' / ');
}

/** One line of matched phrases: the two sides as written, and what joined them when neither side reads it. */
interface PhrasePair {
  readonly first: { readonly text: string; readonly lang: Language };
  readonly second: { readonly text: string; readonly lang: Language };
  share: number;
  via?: { readonly source: 'glossary' | 'lexicon'; readonly word: string };
}

/** Words of four letters or more compare without a last letter (`removal` reads as remove). */
const sameWordStart = (a: string, b: string): boolean => {
  if (a.length <= 3 || b.length <= 3) return a === b;
  const cut = (word: string) => (word.length > 5 ? word.slice(0, -1) : word);
  return a.startsWith(cut(b)) || b.startsWith(cut(a));
};

/**
 * Whether a line's phrases already read as `word`, word by word (`basins` as basin, `builds`
 * as building), so naming it would say nothing new.
 */
function readsAs(text: string, word: string): boolean {
  const wanted = word.toLowerCase().split(/\s+/);
  const written = text.toLowerCase().split(/[\s/]+/);
  return wanted.every((w) => written.some((t) => sameWordStart(t, w)));
}

/**
 * The explanation's terms as lines of phrases. Terms that read the same (a word and its
 * lexicon translation: 技术 met 技术 as itself and through `technology`) are one line with
 * their shares summed; where the two records' languages differ, the source (a glossary
 * concept, or the lexicon's English word) is named unless a side reads as it, so a reader
 * of one language sees what a phrase in the other was taken to mean.
 */
function phrasePairs(v: View, terms: readonly TermEvidence[], needFirst: boolean, needLang: Language, companyLang: Language): PhrasePair[] {
  const pairs: PhrasePair[] = [];
  const byText = new Map<string, PhrasePair>();
  for (const term of terms) {
    const need = { text: phrases(term.needPhrases, term.label), lang: needLang };
    const company = { text: phrases(term.companyPhrases, term.label), lang: companyLang };
    const [first, second] = needFirst ? [need, company] : [company, need];
    const word = term.kind === 'concept' ? (conceptLabel(v.lang, term.term) ?? term.label) : term.bridge?.word;
    const named = word !== undefined && needLang !== companyLang && first.text !== second.text && !readsAs(first.text, word) && !readsAs(second.text, word);
    const via = named ? { source: term.kind === 'concept' ? ('glossary' as const) : ('lexicon' as const), word } : undefined;
    const key = `${first.text}\u0000${second.text}`;
    const known = byText.get(key);
    if (known !== undefined) {
      // Shares are rounded to four places in the explanation; their sum is kept so too.
      known.share = Math.round((known.share + term.share) * 10_000) / 10_000;
      known.via ??= via;
      continue;
    }
    const pair: PhrasePair = { first, second, share: term.share, ...(via === undefined ? {} : { via }) };
    byText.set(key, pair);
    pairs.push(pair);
  }
  // Merged lines can overtake the ones above them; equal shares keep the terms' order.
  return pairs.sort((a, b) => b.share - a.share);
}

function PhrasePairItem(props: { v: View; pair: PhrasePair }) {
  const { first, second, share, via } = props.pair;
  return (
    <li>
      <span lang={first.lang} class="phrase">
        {first.text}
      </span>
      {first.text !== second.text && (
        <>
          {' ↔ '}
          <span lang={second.lang} class="phrase">
            {second.text}
          </span>
        </>
      )}{' '}
      {via !== undefined && <span class="via muted">({props.v.t.via[via.source]}: {via.word}) </span>}
      <span class="muted" title={props.v.t.share}>
        {Math.round(share * 100)}&nbsp;%
      </span>
    </li>
  );
}

/** Shared tags, which phrase met which, and the partnership types the two have in common. */
export function ExplanationView(props: { v: View; explanation: Explanation; needFirst: boolean; needLang: Language; companyLang: Language }) {
  const { v, explanation: e } = props;
  const { t } = v;
  const pairs = phrasePairs(v, e.terms, props.needFirst, props.needLang, props.companyLang);
  const shown = pairs.slice(0, TERMS_SHOWN);
  const more = pairs.slice(TERMS_SHOWN);
  const termItem = (pair: PhrasePair) => <PhrasePairItem v={v} pair={pair} />;
  return (
    <div class="why">
      <section class="why-part">
        <h4>{t.sharedTags}</h4>
        {e.tags.length === 0 ? (
          <p class="muted">–</p>
        ) : (
          <ul class="evidence">
            {e.tags.map((tag) => (
              <li>
                {sectorLabel(v.lang, tag.needTag)}
                {tag.companyTag !== tag.needTag && ` ↔ ${sectorLabel(v.lang, tag.companyTag)}`}{' '}
                <span class="muted">({t.relations[tag.relation]})</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="why-part">
        <h4>
          {t.matchedPhrases} <span class="muted small">({props.needFirst ? t.phrasesNeedFirst : t.phrasesCompanyFirst})</span>
        </h4>
        {e.terms.length === 0 ? (
          <p class="muted">–</p>
        ) : (
          <>
            <ul class="evidence terms">{shown.map(termItem)}</ul>
            {more.length > 0 && (
              <details class="more-terms">
                <summary>+{more.length}</summary>
                <ul class="evidence terms">{more.map(termItem)}</ul>
              </details>
            )}
          </>
        )}
      </section>
      <section class="why-part">
        <h4>{t.sharedCooperation}</h4>
        {!e.cooperation.known ? (
          <p class="muted">{t.cooperationUnknown}</p>
        ) : e.cooperation.shared.length + e.cooperation.related.length === 0 ? (
          <p class="muted">–</p>
        ) : (
          <ul class="evidence">
            {e.cooperation.shared.map((type) => (
              <li>{partnershipLabel(v.lang, type)}</li>
            ))}
            {e.cooperation.related.map((r) => (
              <li>
                {partnershipLabel(v.lang, r.need)} ~ {partnershipLabel(v.lang, r.company)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

export function DecisionBadge({ v, status }: { v: View; status: DecisionStatus | undefined }) {
  if (status === undefined) return null;
  return (
    <span class={`badge badge-${status}`}>
      <span class="visually-hidden">{v.t.decision}: </span>
      {v.t.decisions[status]}
    </span>
  );
}

/** Contacted / agreed / declined for one pair, and clear; the current one is pressed. */
export function DecisionForm(props: { v: View; needId: string; companyId: string; current: DecisionStatus | undefined; anchor: string }) {
  const { v } = props;
  return (
    <form method="post" action="/ui/decisions" class="decision-form">
      <Csrf v={v} />
      <input type="hidden" name="needId" value={props.needId} />
      <input type="hidden" name="companyId" value={props.companyId} />
      <input type="hidden" name="back" value={v.here} />
      <input type="hidden" name="anchor" value={props.anchor} />
      <div role="group" aria-label={v.t.markAs} class="button-row">
        <span class="group-label" aria-hidden="true">
          {v.t.markAs}:
        </span>
        {DECISION_STATUSES.map((status) => (
          <button type="submit" name="status" value={status} class={`button-small decide-${status}`} aria-pressed={props.current === status ? 'true' : 'false'}>
            {v.t.decisions[status]}
          </button>
        ))}
        {props.current !== undefined && (
          <button type="submit" name="status" value="clear" class="button-small button-quiet">
            {v.t.clearDecision}
          </button>
        )}
      </div>
    </form>
  );
}

/** The element id of a match on its page (decision forms come back to it). */
export function matchAnchor(id: string): string {
  return `m-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/**
 * Ranked candidates for one record: rank, name, score bar, explanation and (for coordinators)
 * the decision buttons. `queryKind` says whose page it is: `need` lists companies.
 */
export function MatchList(props: { v: View; queryKind: RecordKind; queryId: string; queryLanguage: Language; rows: readonly MatchRow[] }) {
  const { v, queryKind, rows } = props;
  const needFirst = queryKind === 'need';
  return (
    <>
      <ScorePatterns />
      <ol class="matches">
        {rows.map((row) => {
          const anchor = matchAnchor(row.match.id);
          const [needId, companyId] = needFirst ? [props.queryId, row.match.id] : [row.match.id, props.queryId];
          return (
            <li class={`match${row.decision === 'declined' ? ' match-declined' : ''}`} id={anchor}>
              <div class="match-head">
                <span class="rank">
                  <span class="visually-hidden">{v.t.rank} </span>
                  {row.match.rank}
                </span>
                <div class="match-title">
                  <h3>
                    <a href={row.href}>{row.name}</a>
                  </h3>
                  <span class="muted">{row.detail}</span>
                </div>
                <DecisionBadge v={v} status={row.decision} />
                <div class="score">
                  <span class="score-label">{v.t.score}</span>
                  <span class="score-value">{formatScore(v, row.match.score)}</span>
                </div>
              </div>
              <ScoreBar v={v} match={row.match} />
              {row.match.explanation !== undefined && (
                <ExplanationView
                  v={v}
                  explanation={row.match.explanation}
                  needFirst={needFirst}
                  needLang={needFirst ? props.queryLanguage : row.language}
                  companyLang={needFirst ? row.language : props.queryLanguage}
                />
              )}
              {v.role === 'coordinator' && <DecisionForm v={v} needId={needId} companyId={companyId} current={row.decision} anchor={anchor} />}
            </li>
          );
        })}
      </ol>
    </>
  );
}
