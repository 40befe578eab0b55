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
