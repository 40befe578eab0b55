import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog, Store } from '@partnermatch/api';
import { createDuplicateIndex, createMatcher, createMatcherWithDuplicates, duplicateSeed, validateCompanies, type Company } from '@partnermatch/core';
import { collect, median, percentile } from '../measure.js';
import type { Corpus } from '../settings.js';

/** Duplicate detection on import (issue 13): the import's time with the check against without. */
export interface DuplicatesResult {
  readonly size: number;
  /** The service's import (`Catalog.import`: validation, one SQLite transaction, the matcher) into an empty register: median of the runs. */
  readonly importMs: number;
  /** The same import through the service's duplicate check (`Catalog.duplicates.check`, as the import route runs it). */
  readonly importWithCheckMs: number;
  /** importWithCheckMs / importMs; the target is ≤ 1.5. */
  readonly ratio: number;
  /** The library's part alone: validation and matcher build, without and with the check. */
  readonly coreImportMs: number;
  readonly coreImportWithCheckMs: number;
  readonly coreRatio: number;
  readonly warnings: number;
  /** A duplicate index over the whole corpus, built from the records (each text analysed). */
  readonly indexBuildMs: number;
  /** The same index from a matcher over the corpus (`duplicateSeed`), as the service makes it at its first write. */
  readonly seededBuildMs: number;
  /** One `check` of a new company against that index. */
  readonly checkP50Ms: number;
  readonly checkP99Ms: number;
  readonly runs: number;
}

const RUNS = 3;

function coreImport(companies: readonly Company[], check: boolean): { ms: number; warnings: number } {
  const start = performance.now();
  const validated = validateCompanies(companies);
  if (!validated.ok) throw new Error(`the corpus does not validate: ${validated.issues[0]?.path} ${validated.issues[0]?.message}`);
  if (!check) {
    createMatcher({ companies: validated.value });
    return { ms: performance.now() - start, warnings: 0 };
  }
  // The library's import with the check: each company checked as the build analyses it.
  const { warnings } = createMatcherWithDuplicates({ companies: validated.value });
  return { ms: performance.now() - start, warnings: warnings.length };
}

/** The service's import into a fresh database file; the SQLite file is removed after. */
function serviceImport(companies: readonly Company[], check: boolean): { ms: number; warnings: number } {
  const dir = mkdtempSync(join(tmpdir(), 'pm-bench-dup-'));
  const store = Store.open(join(dir, 'partnermatch.sqlite'));
  try {
    const catalog = new Catalog({ store });
    const start = performance.now();
    const warnings = check
      ? catalog.duplicates.check('company', companies, () => catalog.records.import('company', companies, { mode: 'create' })).warnings.length
      : (catalog.records.import('company', companies, { mode: 'create' }), 0);
    const ms = performance.now() - start;
    void catalog.close();
    return { ms, warnings };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Importer = (companies: readonly Company[], check: boolean) => { ms: number; warnings: number };

/** Median times without and with the check, alternated so machine noise falls on both alike. */
async function compare(importer: Importer, companies: readonly Company[]): Promise<{ without: number; withCheck: number; warnings: number }> {
  importer(companies, true);
  const without: number[] = [];
  const withCheck: number[] = [];
  let warnings = 0;
  for (let run = 0; run < RUNS; run += 1) {
    await collect();
    without.push(importer(companies, false).ms);
    await collect();
    const checked = importer(companies, true);
    withCheck.push(checked.ms);
    warnings = checked.warnings;
  }
  return { without: median(without), withCheck: median(withCheck), warnings };
}

/**
 * Import of the corpus with and without the duplicate check, after one warm-up import (the
 * analyser's word memo is then warm for both, as in a running service): through the
 * service's catalog, and the library's part alone. Then a standing duplicate index over the
 * corpus and the cost of checking one new company against it.
 */
export async function runDuplicates(corpus: Corpus): Promise<DuplicatesResult> {
  const service = await compare(serviceImport, corpus.companies);
  const core = await compare(coreImport, corpus.companies);
  await collect();
  const buildStart = performance.now();
  const index = createDuplicateIndex(corpus.companies);
  const indexBuildMs = performance.now() - buildStart;
  const samples: number[] = [];
  for (const company of corpus.fresh) {
    const start = performance.now();
    index.check(company);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const matcher = createMatcher({ companies: corpus.companies });
  await collect();
  const seedStart = performance.now();
  const seeded = createDuplicateIndex(duplicateSeed(matcher, corpus.companies));
  const seededBuildMs = performance.now() - seedStart;
  if (seeded.size !== index.size) throw new Error(`the seeded duplicate index holds ${seeded.size} companies, not ${index.size}`);
  return {
    size: corpus.size,
    importMs: service.without,
    importWithCheckMs: service.withCheck,
    ratio: service.withCheck / service.without,
    coreImportMs: core.without,
    coreImportWithCheckMs: core.withCheck,
    coreRatio: core.withCheck / core.without,
    warnings: service.warnings,
    indexBuildMs,
    seededBuildMs,
    checkP50Ms: percentile(samples, 0.5),
    checkP99Ms: percentile(samples, 0.99),
    runs: RUNS,
  };
}

export function duplicatesTable(results: readonly DuplicatesResult[]): string {
  const lines = [
    '| companies | service import | with duplicate check | ratio (target ≤ 1.5) | library import | with check | ratio | warnings | standing index from records | from the matcher | one check p50 / p99 |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.size.toLocaleString('en-US')} | ${(r.importMs / 1000).toFixed(2)} s | ${(r.importWithCheckMs / 1000).toFixed(2)} s | ×${r.ratio.toFixed(2)} | ${(r.coreImportMs / 1000).toFixed(2)} s | ${(r.coreImportWithCheckMs / 1000).toFixed(2)} s | ×${r.coreRatio.toFixed(2)} | ${r.warnings} | ${(r.indexBuildMs / 1000).toFixed(2)} s | ${(r.seededBuildMs / 1000).toFixed(2)} s | ${r.checkP50Ms.toFixed(2)} / ${r.checkP99Ms.toFixed(2)} ms |`,
    );
  }
  return lines.join('\n');
}
