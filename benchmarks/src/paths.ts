import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/** Where the benchmark reads and writes; the same from `src/` and `dist/`. */
export const paths = {
  repo: here('../../'),
  sampleDir: here('../../fixtures/sample/'),
  sampleCompanies: here('../../fixtures/sample/companies.json'),
  sampleNeeds: here('../../fixtures/sample/needs.json'),
  /** Settings chosen on SciFact train (fixtures/options). */
  scifactOptions: here('../../fixtures/options/scifact.json'),
  /** `../shared` beside the clone, as in tests/helpers.ts; absent in CI, then skipped. */
  devDir: here('../../../shared/eval/dev/'),
  scifactDir: here('../../../shared/eval/beir-scifact/'),
  results: here('../results/'),
  apiMain: here('../../services/api/dist/main.js'),
} as const;

export function exists(path: string): boolean {
  return existsSync(path);
}
