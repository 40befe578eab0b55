import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Company, PartnerNeed } from './schema/records.js';

/**
 * A data set's companies and needs as stored (not validated), from a folder given relative to
 * the repository root (`fixtures/sample`, `../shared/eval/dev`); `undefined` when the folder is
 * not there, so suites over `../shared/` skip without it. Test-only: not built.
 */
export function readDataset(dirFromRepoRoot: string): { companies: Company[]; needs: PartnerNeed[] } | undefined {
  const path = (file: string) => fileURLToPath(new URL(`../../../${dirFromRepoRoot}/${file}`, import.meta.url));
  if (!existsSync(path('companies.json'))) return undefined;
  return {
    companies: JSON.parse(readFileSync(path('companies.json'), 'utf8')) as Company[],
    needs: JSON.parse(readFileSync(path('needs.json'), 'utf8')) as PartnerNeed[],
  };
}

/** A deterministic pseudo-random sequence in [0, 1) (mulberry32): the same for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
