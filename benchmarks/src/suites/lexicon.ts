/**
 * What the everyday-word lexicon costs (issue 10): partnermatch beside the same engine
 * with `analyzer.lexicon: false` (the `pm-no-lexicon` peer), from the rows the build and
 * search suites measured in this run — single-need top 10 p50 (with and without
 * explanations), build time and retained memory, per corpus size — and the issue's
 * targets at each size: p50 ≤ 1.25×, build ≤ +20 %, memory ≤ +40 MB.
 */
import { partnermatch, partnermatchWithoutLexicon } from '../engines/partnermatch.js';
import type { ResultRow } from '../measure.js';
import { ms, type TargetCheck } from '../report.js';
import type { PairedResult } from './paired.js';

const ON = partnermatch.name;
const OFF = partnermatchWithoutLexicon.name;

export const LEXICON_LIMITS = { p50Ratio: 1.25, buildIncrease: 0.2, memoryMB: 40 } as const;

interface LexiconCost {
  readonly size: number;
  readonly p50: readonly [number | null, number | null];
  readonly p50NoExplain: readonly [number | null, number | null];
  readonly buildMs: readonly [number | null, number | null];
  readonly memoryMB: readonly [number | null, number | null];
}

function figure(rows: readonly ResultRow[], suite: ResultRow['suite'], size: number, engine: string, field: 'p50Ms' | 'buildMs' | 'memoryMB'): number | null {
  return rows.find((row) => row.suite === suite && row.size === size && row.engine === engine)?.[field] ?? null;
}

/** On and off figures per size where both engines ran. */
export function lexiconCosts(rows: readonly ResultRow[]): LexiconCost[] {
  const sizes = [...new Set(rows.filter((row) => row.suite === 'build' && row.engine === OFF).map((row) => row.size))];
  return sizes
    .filter((size) => rows.some((row) => row.suite === 'build' && row.size === size && row.engine === ON))
    .map((size) => ({
      size,
      p50: [figure(rows, 'search', size, ON, 'p50Ms'), figure(rows, 'search', size, OFF, 'p50Ms')],
      p50NoExplain: [figure(rows, 'search', size, `${ON} (no explain)`, 'p50Ms'), figure(rows, 'search', size, `${OFF} (no explain)`, 'p50Ms')],
      buildMs: [figure(rows, 'build', size, ON, 'buildMs'), figure(rows, 'build', size, OFF, 'buildMs')],
      memoryMB: [figure(rows, 'build', size, ON, 'memoryMB'), figure(rows, 'build', size, OFF, 'memoryMB')],
    }));
}

const ratio = ([on, off]: readonly [number | null, number | null]): number | null => (on === null || off === null || off === 0 ? null : on / off);
const times = (value: number | null): string => (value === null ? '–' : `×${value.toFixed(2)}`);
const mb = (value: number | null): string => (value === null ? '–' : `${value.toFixed(1)} MB`);
const delta = ([on, off]: readonly [number | null, number | null]): number | null => (on === null || off === null ? null : on - off);

/** The search suite's figures per size, beside the paired suite's ratios (what the p50 target is checked on). */
export function lexiconTable(rows: readonly ResultRow[], paired: readonly PairedResult[] = []): string {
  const costs = lexiconCosts(rows);
  if (costs.length === 0) return `(${OFF} did not run: \`--engines\` left it out)`;
  const lines = [
    '| companies | top-10 p50 on / off | ratio | paired ratio | no explain on / off | ratio | paired ratio | build on / off | ratio | memory on / off | added |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const c of costs) {
    const side = paired.find((result) => result.size === c.size);
    lines.push(
      `| ${c.size.toLocaleString('en-US')} | ${ms(c.p50[0])} / ${ms(c.p50[1])} | ${times(ratio(c.p50))} | ${times(side?.lexicon.explain ?? null)} | ${ms(c.p50NoExplain[0])} / ${ms(c.p50NoExplain[1])} | ${times(ratio(c.p50NoExplain))} | ${times(side?.lexicon.noExplain ?? null)} | ${ms(c.buildMs[0])} / ${ms(c.buildMs[1])} | ${times(ratio(c.buildMs))} | ${mb(c.memoryMB[0])} / ${mb(c.memoryMB[1])} | ${mb(delta(c.memoryMB))} |`,
    );
  }
  return lines.join('\n');
}

/**
 * The targets at each size. The p50 ratio is the paired suite's where it ran at
 * that size (the two engines side by side, same needs): the search suite times them
 * minutes apart.
 */
export function lexiconTargets(rows: readonly ResultRow[], paired: readonly PairedResult[] = []): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const c of lexiconCosts(rows)) {
    const side = paired.find((result) => result.size === c.size);
    const at = `at ${c.size.toLocaleString('en-US')}`;
    const p50 = side === undefined ? ratio(c.p50) : side.lexicon.explain;
    const build = ratio(c.buildMs);
    const memory = delta(c.memoryMB);
    if (p50 !== null) checks.push({ target: `lexicon: top-10 p50 ≤ ${LEXICON_LIMITS.p50Ratio}× without it ${at}${side === undefined ? '' : ' (paired: median per-need ratio)'}`, measured: times(p50), met: p50 <= LEXICON_LIMITS.p50Ratio });
    if (build !== null) checks.push({ target: `lexicon: build ≤ +${LEXICON_LIMITS.buildIncrease * 100} % ${at}`, measured: times(build), met: build <= 1 + LEXICON_LIMITS.buildIncrease });
    if (memory !== null) checks.push({ target: `lexicon: retained memory ≤ +${LEXICON_LIMITS.memoryMB} MB ${at}`, measured: mb(memory), met: memory <= LEXICON_LIMITS.memoryMB });
  }
  return checks;
}
