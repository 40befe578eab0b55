import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { appendHashedKey, generateKey, KeyRing, readKeyFile, hashKey } from './auth.js';
import { Catalog } from './catalog.js';
import type { ServiceConfig } from './config.js';
import { JobQueue } from './jobs.js';
import type { App } from './routing.js';
import { Store } from './store.js';
import type { BatchRow } from './views.js';

export const DATABASE_FILE = 'partnermatch.db';
const SEEDED = 'seeded_from';

/** A started server. */
export interface RunningServer {
  /** `http://localhost:PORT` with the port actually bound. */
  readonly url: string;
  readonly port: number;
  /** The Node HTTP server (for embedding: extra listeners, upgrades). */
  readonly server: Server;
  readonly app: App;
  readonly catalog: Catalog;
  /** The key generated on this start (when no key was configured), else undefined. */
  readonly generatedKey: string | undefined;
  /**
   * Stops accepting connections, lets in-flight requests finish (forcing connections
   * closed after `graceMs`, default 10 s), stops batch jobs and closes the database.
   */
  close(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  /** Where the startup lines go. Defaults to console.log. */
  readonly log?: (line: string) => void;
}

function seedIfEmpty(store: Store, catalog: Catalog, config: ServiceConfig, log: (line: string) => void): void {
  if (!config.seed || store.meta(SEEDED) !== undefined || store.count('company') > 0 || store.count('need') > 0) return;
  const companies = join(config.seedDir, 'companies.json');
  const needs = join(config.seedDir, 'needs.json');
  if (!existsSync(companies) || !existsSync(needs)) {
    log(`  seed: no sample data at ${config.seedDir}; starting empty`);
    return;
  }
  const read = (path: string): unknown[] => JSON.parse(readFileSync(path, 'utf8')) as unknown[];
  const c = catalog.import('company', read(companies), { mode: 'create' });
  const n = catalog.import('need', read(needs), { mode: 'create' });
  store.setMeta(SEEDED, config.seedDir);
  log(`  seed: loaded ${c.created} companies and ${n.created} needs from ${config.seedDir}`);
}

function loadKeys(config: ServiceConfig): { keys: KeyRing; generatedKey: string | undefined; lines: string[] } {
  let fileKeys = readKeyFile(config.keysFile);
  let generatedKey: string | undefined;
  if (fileKeys.length === 0 && config.apiKeys.length === 0) {
    generatedKey = generateKey();
    appendHashedKey(config.keysFile, generatedKey, 'coordinator', 'generated on first start');
    fileKeys = readKeyFile(config.keysFile);
  }
  const keys = new KeyRing([...config.apiKeys.map(({ key, role }) => ({ role, sha256: hashKey(key) })), ...fileKeys]);
  const lines = [`  keys: ${config.apiKeys.length} from PARTNERMATCH_API_KEYS, ${fileKeys.length} in ${config.keysFile}`];
  return { keys, generatedKey, lines };
}

/**
 * Opens the database in `DATA_DIR`, seeds it on first start, loads the keys (generating a
 * coordinator key if there is none), builds the index and serves the app. Prints the URL and
 * how to authenticate.
 */
export async function startServer(config: ServiceConfig, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  mkdirSync(config.dataDir, { recursive: true });
  const store = Store.open(join(config.dataDir, DATABASE_FILE));
  let server: Server | undefined;
  try {
    const catalog = new Catalog({ store, cacheSize: config.cacheSize, warn: (message) => log(`  warning: ${message}`) });
    const startup: string[] = [];
    seedIfEmpty(store, catalog, config, (line) => startup.push(line));
    const { keys, generatedKey, lines } = loadKeys(config);
    const jobs = new JobQueue<BatchRow>({ onError: (error) => console.error(error) });
    let draining = false;
    const app = createApp({
      catalog,
      keys,
      jobs,
      limits: { body: config.bodyLimit, import: config.importLimit },
      draining: () => draining,
    });

    const listening = await new Promise<{ server: Server; port: number }>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: config.port, ...(config.host ? { hostname: config.host } : {}) }, (info: AddressInfo) =>
        resolve({ server: s as Server, port: info.port }),
      ) as Server;
      s.once('error', reject);
    });
    server = listening.server;
    const { port } = listening;
    const url = `http://localhost:${port}`;

    log(`partnermatch API listening on ${url}`);
    for (const line of startup) log(line);
    log(`  data: ${store.path} (SQLite, ${store.journalMode} mode): ${catalog.count('company')} companies, ${catalog.count('need')} needs`);
    for (const line of lines) log(line);
    log(`  web:  ${url}/  (the coordinators' pages; sign in with an API key)`);
    log(`  docs: ${url}/docs  (OpenAPI 3.1 at ${url}/openapi.json)`);
    if (generatedKey !== undefined) {
      log('  No API key was configured, so a coordinator key was generated. It is shown only this once');
      log(`  and stored hashed in ${config.keysFile}:`);
      log(`      ${generatedKey}`);
    }
    log('  Authenticate with "Authorization: Bearer KEY" (or "X-API-Key: KEY"), e.g.:');
    log(`      curl -H "Authorization: Bearer ${generatedKey ?? 'KEY'}" "${url}/needs/s-n01/matches?limit=5"`);

    const running = server;
    let closing: Promise<void> | undefined;
    const close = (graceMs = 10_000): Promise<void> =>
      (closing ??= (async () => {
        draining = true;
        await new Promise<void>((resolve) => {
          // Idle keep-alive connections are closed as soon as their request has been answered.
          const sweep = setInterval(() => running.closeIdleConnections(), 50);
          const force = setTimeout(() => running.closeAllConnections(), graceMs);
          running.close(() => {
            clearInterval(sweep);
            clearTimeout(force);
            resolve();
          });
        });
        await jobs.stop();
        store.close();
      })());

    return { url, port, server: running, app, catalog, generatedKey, close };
  } catch (error) {
    server?.close();
    store.close();
    throw error;
  }
}
