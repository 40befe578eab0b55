import { isAbsolute, resolve } from 'node:path';

// What the service's main needs before anything else loads: where the index snapshot is.

/** The index snapshot in `DATA_DIR`, beside the database. */
export const SNAPSHOT_FILE = 'index.snapshot';

/**
 * `DATA_DIR`, absolute: a relative one is resolved from where `npm` was started
 * (`INIT_CWD`), else the working directory, so `npm start` at the root uses `./data` there.
 */
export function dataDirOf(env: NodeJS.ProcessEnv): string {
  const base = env['INIT_CWD'] ?? process.cwd();
  const raw = env['DATA_DIR']?.trim() || './data';
  return isAbsolute(raw) ? raw : resolve(base, raw);
}
