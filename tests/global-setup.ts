import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where `tempDir` makes its directories during a run (read by the test processes). */
export const TEST_ROOT_VARIABLE = 'PARTNERMATCH_TEST_ROOT';

/**
 * One directory per run for every test's files, removed when the run ends: the CLI tests
 * write records, manifests and agendas that a test cannot always remove itself (a failed
 * assertion skips its cleanup), and a clean CI clone ran them hundreds of times into /tmp.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'partnermatch-tests-'));
  process.env[TEST_ROOT_VARIABLE] = root;
  return () => rmSync(root, { recursive: true, force: true });
}
