import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found upwards from this file, so it is the same from the sources (vitest) and the compiled runners (tests/dist). */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'fixtures', 'sample', 'companies.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root (fixtures/sample) above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

export const repoRoot = findRoot();
export const sampleDir = join(repoRoot, 'fixtures', 'sample');
