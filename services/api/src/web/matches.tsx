import type { Explanation, Language, Match, TermEvidence } from '@partnermatch/core';
import type { RecordKind } from '../store.js';
import type { DecisionStatus } from '../store.js';
import { DECISION_STATUSES } from '../store.js';
import { partnershipLabel, sectorLabel } from './i18n.js';
import { Csrf, formatScore, type View } from './layout.js';

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

function TermPair(props: { v: View; term: TermEvidence; needFirst: boolean; needLang: Language; companyLang: Language }) {
  const { term, needFirst } = props;
  const need = { text: phrases(term.needPhrases, term.label), lang: props.needLang };
  const company = { text: phrases(term.companyPhrases, term.label), lang: props.companyLang };
  const [first, second] = needFirst ? [need, company] : [company, need];
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
      <span class="muted" title={props.v.t.share}>
        {Math.round(term.share * 100)}&nbsp;%
      </span>
    </li>
  );
}

/** Shared tags, which phrase met which, and the partnership types the two have in common. */
export function ExplanationView(props: { v: View; explanation: Explanation; needFirst: boolean; needLang: Language; companyLang: Language }) {
  const { v, explanation: e } = props;
  const { t } = v;
  const shown = e.terms.slice(0, TERMS_SHOWN);
  const more = e.terms.slice(TERMS_SHOWN);
  const termItem = (term: TermEvidence) => (
    <TermPair v={v} term={term} needFirst={props.needFirst} needLang={props.needLang} companyLang={props.companyLang} />
  );
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
