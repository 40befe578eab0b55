/**
 * Paired latency: the ratio targets (issue 15: ranking p50 ≤ 1.0× the typed-array BM25;
 * issue 10: the lexicon's p50 ≤ 1.25×) measured with the engines side by side in one
 * process. The search suite times one engine after another, minutes apart on a shared
 * machine whose speed drifts by ×2 within a run; here every need is asked of every
 * contestant within a few milliseconds, in blocks whose order rotates, so drift falls on
 * all alike. A ratio is the median over needs of one contestant's time over the other's
 * (each need's time the median of its passes): a ratio over the same needs, not of two
 * medians over different ones.
 */
import type { PartnerNeed } from '@partnermatch/core';
import { bm25Typed } from '../engines/bm25-typed.js';
import type { SearchIndex } from '../engines/index.js';
import { partnermatch, partnermatchWithoutLexicon } from '../engines/partnermatch.js';
import { ms, type TargetCheck } from '../report.js';
import type { Corpus } from '../settings.js';

/**
 * Needs per block: each contestant answers a block in turn, the next block in the next
 * order. Long enough that an engine runs on caches it warmed itself, as it would alone (at
 * 10k companies the BM25 took 0.25 ms a need in blocks of 16 behind partnermatch, 0.15 in
 * blocks of 64, 0.13 alone), short enough (about a second at 100k) that drift falls on all.
 */
const BLOCK = 64;

type Contestant = 'pm' | 'pmIdsOnly' | 'noLexicon' | 'noLexiconIdsOnly' | 'bm25';

export interface PairedResult {
  readonly size: number;
  readonly passes: number;
  readonly needs: number;
  readonly latinNeeds: number;
  /** Median over needs of each need's median time, ms: over all needs and over sv/en. */
  readonly medianMs: Readonly<Record<Contestant, { readonly all: number; readonly svEn: number }>>;
  /** partnermatch / BM25 over sv/en needs, with and without explanations. */
  readonly vsBm25: { readonly explain: number; readonly noExplain: number };
  /** partnermatch / partnermatch without the lexicon over all needs, with and without explanations. */
  readonly lexicon: { readonly explain: number; readonly noExplain: number };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Builds partnermatch, partnermatch without the lexicon and the typed-array BM25 over the
 * corpus, warms each with one pass over the needs, then times `passes` passes: every
 * need of a block asked of each contestant in turn (a copy each time, so partnermatch
 * analyses it inside the sample), the contestants' order rotating from block to block.
 */
export function runPaired(corpus: Corpus, passes: number): PairedResult {
  const pm = partnermatch.build(corpus.companies);
  const noLexicon = partnermatchWithoutLexicon.build(corpus.companies);
  const bm25 = bm25Typed.build(corpus.companies);
  const idsOnly = (index: SearchIndex) => index.searchIdsOnly!.bind(index);
  const contestants: readonly [Contestant, (need: PartnerNeed, k: number) => readonly string[]][] = [
    ['pm', pm.search.bind(pm)],
    ['pmIdsOnly', idsOnly(pm)],
    ['noLexicon', noLexicon.search.bind(noLexicon)],
    ['noLexiconIdsOnly', idsOnly(noLexicon)],
    ['bm25', bm25.search.bind(bm25)],
  ];
  const { needs } = corpus;
  const latin = new Set(corpus.latinNeeds);
  for (const [, search] of contestants) for (const need of needs) search({ ...need }, 10);
  const times = new Map(contestants.map(([name]) => [name, needs.map((): number[] => [])]));
  for (let pass = 0; pass < passes; pass += 1) {
    for (let from = 0, block = 0; from < needs.length; from += BLOCK, block += 1) {
      for (let turn = 0; turn < contestants.length; turn += 1) {
        const [name, search] = contestants[(block + pass + turn) % contestants.length]!;
        const own = times.get(name)!;
        for (let i = from; i < Math.min(from + BLOCK, needs.length); i += 1) {
          const need = { ...needs[i]! };
          const start = performance.now();
          search(need, 10);
          own[i]!.push(performance.now() - start);
        }
      }
    }
  }
  const perNeed = new Map([...times].map(([name, each]) => [name, each.map(median)]));
  const isLatin = needs.map((need) => latin.has(need));
  const of = (name: Contestant, svEnOnly: boolean): number[] => perNeed.get(name)!.filter((_, i) => !svEnOnly || isLatin[i]);
  const ratio = (a: Contestant, b: Contestant, svEnOnly: boolean): number => {
    const bs = of(b, svEnOnly);
    return median(of(a, svEnOnly).map((t, i) => t / Math.max(bs[i]!, 1e-6)));
  };
  const medianMs = Object.fromEntries(contestants.map(([name]) => [name, { all: median(of(name, false)), svEn: median(of(name, true)) }])) as PairedResult['medianMs'];
  return {
    size: corpus.size,
    passes,
    needs: needs.length,
    latinNeeds: corpus.latinNeeds.length,
    medianMs,
    vsBm25: { explain: ratio('pm', 'bm25', true), noExplain: ratio('pmIdsOnly', 'bm25', true) },
    lexicon: { explain: ratio('pm', 'noLexicon', false), noExplain: ratio('pmIdsOnly', 'noLexiconIdsOnly', false) },
  };
}

const times = (value: number): string => `×${value.toFixed(2)}`;

export function pairedTable(results: readonly PairedResult[]): string {
  const lines = [
    '| companies | passes | partnermatch sv/en | no explain | BM25 sv/en | pm/BM25 | no explain / BM25 | partnermatch all | pm-no-lexicon all | lexicon on/off | no explain on/off |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const m = r.medianMs;
    lines.push(
      `| ${r.size.toLocaleString('en-US')} | ${r.passes} | ${ms(m.pm.svEn)} | ${ms(m.pmIdsOnly.svEn)} | ${ms(m.bm25.svEn)} | ${times(r.vsBm25.explain)} | ${times(r.vsBm25.noExplain)} | ${ms(m.pm.all)} | ${ms(m.noLexicon.all)} | ${times(r.lexicon.explain)} | ${times(r.lexicon.noExplain)} |`,
    );
  }
  return lines.join('\n');
}

/** Issue 15's ranking target at each size (with explanations, as shipped). */
export function pairedTargets(results: readonly PairedResult[]): TargetCheck[] {
  return results.map((r) => ({
    target: `ranking p50 ≤ 1.0× the typed-array BM25 at ${r.size.toLocaleString('en-US')}, paired (sv/en)`,
    measured: `${times(r.vsBm25.explain)} (without explanations ${times(r.vsBm25.noExplain)})`,
    met: r.vsBm25.explain <= 1,
  }));
}
