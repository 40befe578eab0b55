/**
 * What the lexicon costs, measured robustly (issue 10): `npm run lexicon-cost -w
 * @partnermatch/benchmarks -- [--size 100000] [--rounds 2] [--needs 300]`. Each run is a
 * fresh process (`node --expose-gc dist/lexicon-cost.js --child on|off`), in the order
 * off, on, off, on, …, so a busy machine's drift falls on both alike; each child reports
 * CPU time (user + system, not wall) of the build and of every top-10 query with
 * explanations, and the heap retained after the build. Printed: per run, then the medians
 * and ratios against the targets (build ≤ +20 %, p50 ≤ 1.25×, memory ≤ +40 MB).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createMatcher } from '@partnermatch/core';
import { generateCompanies, generateNeeds } from './corpus.js';
import { median } from './measure.js';
import { LEXICON_LIMITS } from './suites/lexicon.js';

interface RunFigures {
  readonly lexicon: boolean;
  readonly buildCpuMs: number;
  readonly p50CpuMs: number;
  readonly p50NoExplainCpuMs: number;
  readonly retainedMB: number;
}

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '2' },
    needs: { type: 'string', default: '300' },
    child: { type: 'string' },
  },
});

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

function child(lexicon: boolean, size: number, needCount: number): RunFigures {
  const companies = generateCompanies(size);
  const needs = generateNeeds(needCount);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = process.cpuUsage();
  const matcher = createMatcher({ companies, options: { analyzer: { lexicon } } });
  const buildCpuMs = cpuMs(start);
  gc();
  const retainedMB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  const timed = (explain: boolean): number => {
    for (const need of needs.slice(0, 20)) matcher.rankCompanies(need, { limit: 10, explain, includeExpired: true });
    const each: number[] = [];
    for (const need of needs) {
      const at = process.cpuUsage();
      matcher.rankCompanies(need, { limit: 10, explain, includeExpired: true });
      each.push(cpuMs(at));
    }
    return median(each);
  };
  const p50CpuMs = timed(true);
  const p50NoExplainCpuMs = timed(false);
  return { lexicon, buildCpuMs, p50CpuMs, p50NoExplainCpuMs, retainedMB };
}

const size = Number(values.size);
const needCount = Number(values.needs);
if (values.child !== undefined) {
  process.stdout.write(`${JSON.stringify(child(values.child === 'on', size, needCount))}\n`);
} else {
  const script = fileURLToPath(import.meta.url);
  const runs: RunFigures[] = [];
  for (let round = 0; round < Number(values.rounds); round += 1) {
    for (const mode of ['off', 'on'] as const) {
      const result = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', script, '--child', mode, '--size', String(size), '--needs', String(needCount)], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (result.status !== 0) throw new Error(`lexicon-cost child (${mode}) failed: ${result.stderr}`);
      const figures = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as RunFigures;
      runs.push(figures);
      console.log(
        `round ${round + 1} lexicon ${mode.padEnd(3)}: build ${(figures.buildCpuMs / 1000).toFixed(1)} s CPU, p50 ${figures.p50CpuMs.toFixed(2)} ms CPU (no explain ${figures.p50NoExplainCpuMs.toFixed(2)}), retained ${figures.retainedMB.toFixed(0)} MB`,
      );
    }
  }
  const of = (lexicon: boolean, field: keyof Omit<RunFigures, 'lexicon'>): number => median(runs.filter((r) => r.lexicon === lexicon).map((r) => r[field]));
  const build = of(true, 'buildCpuMs') / of(false, 'buildCpuMs');
  const p50 = of(true, 'p50CpuMs') / of(false, 'p50CpuMs');
  const p50NoExplain = of(true, 'p50NoExplainCpuMs') / of(false, 'p50NoExplainCpuMs');
  const memory = of(true, 'retainedMB') - of(false, 'retainedMB');
  const verdict = (met: boolean): string => (met ? 'met' : 'NOT met');
  console.log(`\nmedians at ${size.toLocaleString('en-US')} companies, on / off:`);
  console.log(`build CPU   ${(of(true, 'buildCpuMs') / 1000).toFixed(1)} / ${(of(false, 'buildCpuMs') / 1000).toFixed(1)} s  ×${build.toFixed(2)}  (≤ ×${1 + LEXICON_LIMITS.buildIncrease}: ${verdict(build <= 1 + LEXICON_LIMITS.buildIncrease)})`);
  console.log(`top-10 p50  ${of(true, 'p50CpuMs').toFixed(2)} / ${of(false, 'p50CpuMs').toFixed(2)} ms CPU  ×${p50.toFixed(2)}  (≤ ×${LEXICON_LIMITS.p50Ratio}: ${verdict(p50 <= LEXICON_LIMITS.p50Ratio)})`);
  console.log(`  no explain ${of(true, 'p50NoExplainCpuMs').toFixed(2)} / ${of(false, 'p50NoExplainCpuMs').toFixed(2)} ms CPU  ×${p50NoExplain.toFixed(2)}`);
  console.log(`retained    ${of(true, 'retainedMB').toFixed(0)} / ${of(false, 'retainedMB').toFixed(0)} MB  +${memory.toFixed(0)} MB  (≤ +${LEXICON_LIMITS.memoryMB}: ${verdict(memory <= LEXICON_LIMITS.memoryMB)})`);
}
