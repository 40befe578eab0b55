/**
 * Paired latency: the ratio targets (issue 15: ranking p50 ≤ 1.0× the typed-array BM25;
 * issue 10: the lexicon's p50 ≤ 1.25×) measured with the engines side by side in one
 * process. The search suite times one engine after another, minutes apart on a shared
 * machine whose speed drifts by ×2 within a run; here every need is asked of every
 * contestant within one round of its block (about a second at 100k), in an order drawn
 * afresh for each block, so drift falls on all alike. A ratio is the median over needs of one contestant's time over the other's
 * (each need's time the median of its passes): a ratio over the same needs, not of two
 * medians over different ones.
 */
import type { PartnerNeed } from '@partnermatch/core';
import { bm25Typed } from '../engines/bm25-typed.js';
import type { SearchIndex } from '../engines/index.js';
import { partnermatch, partnermatchWithoutLexicon } from '../engines/partnermatch.js';
import { median } from '../measure.js';
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

/**
 * Builds partnermatch, partnermatch without the lexicon and the typed-array BM25 over the
 * corpus, warms each with one pass over the needs, then times `passes` passes: every
 * need of a block asked of each contestant in turn (a copy each time, so partnermatch
 * analyses it inside the sample), in an order drawn afresh (seeded) for each block.
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
  const random = seededRandom(corpus.seed);
  for (let pass = 0; pass < passes; pass += 1) {
    for (let from = 0; from < needs.length; from += BLOCK) {
      // A fresh order each block: in a fixed rotation one contestant would always follow
      // the same other (the run without explanations behind the one with them, on caches
      // it warmed on the same needs).
      const order = shuffled(contestants.length, random);
      for (let turn = 0; turn < contestants.length; turn += 1) {
        const [name, search] = contestants[order[turn]!]!;
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

/** mulberry32: a small seeded generator, so a run's orders are the same each time. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** 0 … count − 1 in a random order (Fisher–Yates). */
function shuffled(count: number, random: () => number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

const factor = (value: number): string => `×${value.toFixed(2)}`;

export function pairedTable(results: readonly PairedResult[]): string {
  const lines = [
    '| companies | passes | partnermatch sv/en | no explain | BM25 sv/en | pm/BM25 | no explain / BM25 | partnermatch all | pm-no-lexicon all | lexicon on/off | no explain on/off |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const m = r.medianMs;
    lines.push(
      `| ${r.size.toLocaleString('en-US')} | ${r.passes} | ${ms(m.pm.svEn)} | ${ms(m.pmIdsOnly.svEn)} | ${ms(m.bm25.svEn)} | ${factor(r.vsBm25.explain)} | ${factor(r.vsBm25.noExplain)} | ${ms(m.pm.all)} | ${ms(m.noLexicon.all)} | ${factor(r.lexicon.explain)} | ${factor(r.lexicon.noExplain)} |`,
    );
  }
  return lines.join('\n');
}

/** Issue 15's ranking target at each size (with explanations, as shipped). */
export function pairedTargets(results: readonly PairedResult[]): TargetCheck[] {
  return results.map((r) => ({
    target: `ranking p50 ≤ 1.0× the typed-array BM25 at ${r.size.toLocaleString('en-US')} (sv/en; paired: median per-need ratio)`,
    measured: `${factor(r.vsBm25.explain)} (without explanations ${factor(r.vsBm25.noExplain)})`,
    met: r.vsBm25.explain <= 1,
  }));
}
