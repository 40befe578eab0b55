import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataDirOf } from './data-dir.js';
import { DEFAULT_BODY_LIMIT, DEFAULT_IMPORT_LIMIT } from './limits.js';
import { parseKeyList, type KeySpec } from './auth.js';

/** Everything the server reads from its environment. */
export interface ServiceConfig {
  /** `PORT`, default 8787; 0 picks a free port (the server reports the one it got). */
  readonly port: number;
  /** `HOST`, default all interfaces. */
  readonly host: string | undefined;
  /** `DATA_DIR`, default `./data`: the SQLite file and the keys file. */
  readonly dataDir: string;
  /** `PARTNERMATCH_SEED` (default true): load the sample fixtures into an empty database on first start. */
  readonly seed: boolean;
  /** `PARTNERMATCH_SEED_DIR`: where `companies.json` and `needs.json` are; default the repository's `fixtures/sample`. */
  readonly seedDir: string;
  /** `PARTNERMATCH_API_KEYS`: `key:role,key:role`. */
  readonly apiKeys: readonly KeySpec[];
  /** `PARTNERMATCH_KEYS_FILE`, default `DATA_DIR/api-keys.json`. */
  readonly keysFile: string;
  /** `PARTNERMATCH_BODY_LIMIT` in bytes, default 1 MiB. */
  readonly bodyLimit: number;
  /** `PARTNERMATCH_IMPORT_LIMIT` in bytes, default 16 MiB. */
  readonly importLimit: number;
  /** `PARTNERMATCH_CACHE_SIZE`: rankings kept in the LRU cache, default 1000. */
  readonly cacheSize: number;
  /** `PARTNERMATCH_TRUST_PROXY` (default false): believe `X-Forwarded-Proto` from a reverse proxy in front. */
  readonly trustProxy: boolean;
  /** `PARTNERMATCH_LOG_LEVEL` (default `info`: one line per request; `silent` for none). */
  readonly logLevel: LogLevel;
  /**
   * `PARTNERMATCH_HEAP_GROWTH` in percent (default {@link DEFAULT_HEAP_GROWTH}): how far the heap may
   * grow past what the service holds before garbage is collected (see `memory.ts`); 0 leaves V8's sizing.
   */
  readonly heapGrowthPercent: number;
  /**
   * `PARTNERMATCH_SNAPSHOT_DELAY` in seconds (default {@link DEFAULT_SNAPSHOT_DELAY}): the index
   * snapshot is saved this long after writes pause (at most ten times as long after the first
   * unsaved write), so a start after a crash loads it instead of building the index; 0 saves
   * it only after the seed and at shutdown.
   */
  readonly snapshotDelaySeconds: number;
  /**
   * `PARTNERMATCH_RANKING_THREAD` (default true on a machine with two cores or more): rank the
   * matches routes' queries on a copy of the index on a worker thread, so ranking and the HTTP
   * work run on two cores. The copy costs about the index's memory again.
   */
  readonly rankingThread: boolean;
  /**
   * `PARTNERMATCH_DUPLICATE_WARMUP` (default true): build the duplicate check's index on its
   * worker thread once the stored records are read at start, instead of at the first create or
   * import of a company, which then waits for it (~2–5 s at 100k companies). The index costs its
   * memory from the start instead of from that first write.
   */
  readonly duplicateWarmup: boolean;
}

/** Default of `PARTNERMATCH_SNAPSHOT_DELAY`, seconds. */
export const DEFAULT_SNAPSHOT_DELAY = 30;

/** Default of `PARTNERMATCH_HEAP_GROWTH`: RSS flat under load at a GC cost not measurable in req/s (services/api/README.md). */
export const DEFAULT_HEAP_GROWTH = 15;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function logLevel(env: NodeJS.ProcessEnv): LogLevel {
  const raw = env['PARTNERMATCH_LOG_LEVEL']?.trim().toLowerCase();
  if (raw === undefined || raw === '') return 'info';
  if ((LOG_LEVELS as readonly string[]).includes(raw)) return raw as LogLevel;
  throw new Error(`PARTNERMATCH_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(env['PARTNERMATCH_LOG_LEVEL'])}`);
}

export const DEFAULT_PORT = 8787;
export const DEFAULT_SEED_DIR = fileURLToPath(new URL('../../../fixtures/sample/', import.meta.url));

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new Error(`${name} must be true or false, got ${JSON.stringify(env[name])}`);
}

/**
 * Reads the configuration from environment variables; throws an Error naming the variable
 * on a bad value. A relative `DATA_DIR` is resolved from where `npm` was started
 * (`INIT_CWD`), else the working directory, so `npm start` at the root uses `./data` there.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const base = env['INIT_CWD'] ?? process.cwd();
  const dataDir = dataDirOf(env);
  const seedDirRaw = env['PARTNERMATCH_SEED_DIR']?.trim();
  return {
    port: integer(env, 'PORT', DEFAULT_PORT, 0, 65_535),
    host: env['HOST']?.trim() || undefined,
    dataDir,
    seed: flag(env, 'PARTNERMATCH_SEED', true),
    seedDir: seedDirRaw ? resolve(base, seedDirRaw) : DEFAULT_SEED_DIR,
    apiKeys: parseKeyList(env['PARTNERMATCH_API_KEYS'] ?? ''),
    keysFile: env['PARTNERMATCH_KEYS_FILE']?.trim() ? resolve(base, env['PARTNERMATCH_KEYS_FILE'].trim()) : join(dataDir, 'api-keys.json'),
    bodyLimit: integer(env, 'PARTNERMATCH_BODY_LIMIT', DEFAULT_BODY_LIMIT, 1024, 1024 ** 3),
    importLimit: integer(env, 'PARTNERMATCH_IMPORT_LIMIT', DEFAULT_IMPORT_LIMIT, 1024, 1024 ** 3),
    cacheSize: integer(env, 'PARTNERMATCH_CACHE_SIZE', 1000, 1, 1_000_000),
    trustProxy: flag(env, 'PARTNERMATCH_TRUST_PROXY', false),
    logLevel: logLevel(env),
    heapGrowthPercent: integer(env, 'PARTNERMATCH_HEAP_GROWTH', DEFAULT_HEAP_GROWTH, 0, 400),
    snapshotDelaySeconds: integer(env, 'PARTNERMATCH_SNAPSHOT_DELAY', DEFAULT_SNAPSHOT_DELAY, 0, 86_400),
    rankingThread: flag(env, 'PARTNERMATCH_RANKING_THREAD', availableParallelism() > 1),
    duplicateWarmup: flag(env, 'PARTNERMATCH_DUPLICATE_WARMUP', true),
  };
}
