import type { Engine, SearchIndex } from '../engines/index.js';
import { cycle, time, type ResultRow } from '../measure.js';
import type { Corpus, Settings } from '../settings.js';

function skipped(suite: 'add' | 'update', engine: Engine, corpus: Corpus, note: string): ResultRow {
  return { suite, size: corpus.size, engine: engine.name, p50Ms: null, p99Ms: null, opsPerSec: null, buildMs: null, memoryMB: null, note };
}

/**
 * Incremental change on the built index: `add` indexes a company it has not seen; `update`
 * replaces an indexed company's text and tags with another profile's (same id). Runs last
 * for each engine, because it changes the index.
 */
export async function runIncremental(engine: Engine, index: SearchIndex, corpus: Corpus, settings: Settings): Promise<ResultRow[]> {
  const { add, update } = index;
  const rows: ResultRow[] = [];
  const label = `${engine.name} @${corpus.size}`;
  // Half of the fresh profiles are added, the other half lend their text to updates.
  const half = corpus.fresh.length >> 1;
  const budget = { ...settings.incremental, maxSamples: Math.min(settings.incremental.maxSamples, half - 20) };
  if (add === undefined) rows.push(skipped('add', engine, corpus, 'no incremental add'));
  else {
    const next = cycle(corpus.fresh.slice(0, half));
    const timing = await time(`add ${label}`, () => add(next()), budget);
    rows.push({ suite: 'add', size: corpus.size, engine: engine.name, buildMs: null, memoryMB: null, ...timing });
  }
  if (update === undefined) rows.push(skipped('update', engine, corpus, 'no incremental update'));
  else {
    const texts = corpus.fresh.slice(half);
    let i = 0;
    const timing = await time(`update ${label}`, () => {
      // Spread over the corpus, so no one company is replaced twice in a row.
      const target = corpus.companies[(i * 7_919) % corpus.companies.length]!;
      update({ ...texts[i % texts.length]!, id: target.id });
      i += 1;
    }, budget);
    rows.push({ suite: 'update', size: corpus.size, engine: engine.name, buildMs: null, memoryMB: null, ...timing });
  }
  return rows;
}
