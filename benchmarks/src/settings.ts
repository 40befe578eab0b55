import type { Company, PartnerNeed } from '@partnermatch/core';
import type { TimingBudget } from './measure.js';

/** How long each suite may take: `--quick` keeps the whole run under two minutes on 2 cores. */
export interface Settings {
  readonly quick: boolean;
  readonly sizes: readonly number[];
  readonly needs: number;
  readonly search: TimingBudget;
  /** Passes of the paired suite over the needs (each need's time is the median of its passes). */
  readonly pairedPasses: number;
  readonly incremental: TimingBudget;
  /** A batch runs only when single-need p50 × needs (÷ threads) promises to finish within this. */
  readonly batchMs: number;
  /** SciFact splits to score (each runs every engine over 5,183 abstracts). */
  readonly scifactSplits: readonly ('train' | 'test')[];
  /** autocannon duration per scenario, s. */
  readonly serviceSeconds: number;
}

export function settingsFor(quick: boolean): Settings {
  return quick
    ? {
        quick,
        sizes: [1_000, 10_000],
        needs: 1_000,
        search: { ms: 900, minSamples: 10, maxSamples: 400 },
        pairedPasses: 1,
        incremental: { ms: 400, minSamples: 10, maxSamples: 200 },
        batchMs: 12_000,
        scifactSplits: [],
        serviceSeconds: 4,
      }
    : {
        quick,
        sizes: [1_000, 10_000, 100_000],
        needs: 1_000,
        search: { ms: 6_000, minSamples: 12, maxSamples: 2_000 },
        pairedPasses: 3,
        incremental: { ms: 2_000, minSamples: 12, maxSamples: 500 },
        batchMs: 120_000,
        scifactSplits: ['train', 'test'],
        serviceSeconds: 10,
      };
}

/** One corpus size, loaded once and shared by every suite and engine. */
export interface Corpus {
  readonly size: number;
  readonly seed: number;
  readonly companies: readonly Company[];
  readonly needs: readonly PartnerNeed[];
  /** The needs written in English or Swedish (422 of the 1,000): queries every peer can tokenise. */
  readonly latinNeeds: readonly PartnerNeed[];
  /** Companies not in the corpus (ids after its last), for add and update. */
  readonly fresh: readonly Company[];
}
