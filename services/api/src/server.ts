import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { PartnermatchError } from '@partnermatch/core';
import { createApp } from './app.js';
import { appendHashedKey, generateKey, KeyRing, readKeyFile } from './auth.js';
import { Catalog, type ImportResult } from './catalog.js';
import type { ServiceConfig } from './config.js';
import { batchQueue } from './batch.js';
import type { App } from './routing.js';
import { Store } from './store.js';

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
  let loaded: ImportResult[];
  try {
    // Both files in one transaction: a problem in either leaves the database empty (and the next start tries again).
    loaded = catalog.records.importAll(
      [
        { kind: 'company', records: read(companies), path: 'companies' },
        { kind: 'need', records: read(needs), path: 'needs' },
      ],
      'create',
    );
  } catch (error) {
    if (!(error instanceof PartnermatchError)) throw error;
    const problems = error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    throw new Error(`the seed data in ${config.seedDir} was not loaded: ${problems || error.message}`, { cause: error });
  }
  const [c, n] = loaded;
  store.setMeta(SEEDED, config.seedDir);
  log(`  seed: loaded ${c?.created ?? 0} companies and ${n?.created ?? 0} needs from ${config.seedDir}`);
}

function loadKeys(config: ServiceConfig): { keys: KeyRing; generatedKey: string | undefined; lines: string[] } {
  let fileKeys = readKeyFile(config.keysFile);
  let generatedKey: string | undefined;
  if (fileKeys.length === 0 && config.apiKeys.length === 0) {
    generatedKey = generateKey();
    appendHashedKey(config.keysFile, generatedKey, 'coordinator', 'generated on first start');
    fileKeys = readKeyFile(config.keysFile);
  }
  const keys = KeyRing.fromSpecs(config.apiKeys, fileKeys);
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
    const catalog = new Catalog({ store, cacheSize: config.cacheSize, warn: (message) => log(`  warning: ${message}`), snapshotDir: config.dataDir });
    const startup: string[] = [];
    seedIfEmpty(store, catalog, config, (line) => startup.push(line));
    const { keys, generatedKey, lines } = loadKeys(config);
    const jobs = batchQueue({ onError: (error) => console.error(error) });
    let draining = false;
    const app = createApp({
      catalog,
      keys,
      jobs,
      limits: { body: config.bodyLimit, import: config.importLimit },
      trustProxy: config.trustProxy,
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
    log(`  data: ${store.path} (SQLite, ${store.journalMode} mode): ${catalog.records.count('company')} companies, ${catalog.records.count('need')} needs`);
    for (const line of lines) log(line);
    const source = catalog.records.indexSource;
    log(`  index: ${source.from === 'snapshot' ? 'loaded from the snapshot' : `built (${source.reason})`} in ${config.dataDir}`);
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
        catalog.records.saveSnapshot();
        store.close();
      })());

    return { url, port, server: running, app, catalog, generatedKey, close };
  } catch (error) {
    server?.close();
    store.close();
    throw error;
  }
}
