import { existsSync, mkdirSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { createServer, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { getRequestListener, RequestError } from '@hono/node-server';
import { pino, type Logger } from 'pino';
import { ApiError, PROBLEM_CONTENT_TYPE, problemJson, problemResponse, requestIdOf } from './errors.js';
import { PartnermatchError, type SnapshotPreload } from '@partnermatch/core';
import { createApp } from './app.js';
import { appendHashedKey, generateKey, KeyRing, readKeyFile } from './auth.js';
import { Catalog, type ImportResult } from './catalog.js';
import type { ServiceConfig } from './config.js';
import { boundHeapGrowth } from './memory.js';
import { SnapshotKeeper } from './snapshot.js';
import { batchQueue } from './batch.js';
import { stopEvents } from './events/index.js';
import type { App } from './routing.js';
import { Store } from './store.js';

export const DATABASE_FILE = 'partnermatch.db';
/** Most bytes of log lines held in memory while stdout is not taking them. */
const LOG_BUFFER_LIMIT = 8 * 1024 * 1024;
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
  /** Reads the keys file again (also done on every change to it, and by `main.ts` on SIGHUP). */
  reloadKeys(): void;
}

export interface StartOptions {
  /** Where the startup lines go. Defaults to console.log. */
  readonly log?: (line: string) => void;
  /** The per-request log (pino); one writing to stdout at `config.logLevel` by default. */
  readonly logger?: Logger;
  /** The index snapshot in `config.dataDir`, preloaded (core's `preloadSnapshot`); read at start when left out. */
  readonly snapshotPreload?: SnapshotPreload;
}

/**
 * The Node HTTP server for the app. What the layers below the app answer themselves is
 * problem+json too, with a request id and a log line: a request the adapter cannot turn into a
 * URL (a backslash in the path, a bad Host) is a 400, headers over Node's 16 KB limit a 431,
 * a request too slow to arrive a 408, anything else node:http cannot parse a 400.
 */
export function createNodeServer(app: App, logger: Logger): Server {
  const listener = getRequestListener(app.fetch, {
    errorHandler: (error) => {
      const requestId = requestIdOf(undefined);
      const bad = error instanceof RequestError;
      if (!bad) logger.error({ reqId: requestId, err: error }, 'internal error');
      logger.info({ reqId: requestId, route: 'unparsed', status: bad ? 400 : 500 }, 'request');
      const problem = bad
        ? new ApiError('BAD_REQUEST', `the request could not be read: ${error.message}`)
        : new ApiError('INTERNAL', 'the server could not complete the request');
      const response = problemResponse(problem, '/', requestId);
      response.headers.set('Connection', 'close');
      return response;
    },
  });
  const server = createServer(listener);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const code =
      error.code === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'REQUEST_TIMEOUT' : 'BAD_REQUEST';
    const message =
      code === 'HEADERS_TOO_LARGE'
        ? 'the request headers are larger than this server accepts (16 KB)'
        : code === 'REQUEST_TIMEOUT'
          ? 'the request did not arrive in time'
          : 'the request is not valid HTTP';
    const requestId = requestIdOf(undefined);
    const problem = new ApiError(code, message);
    const body = problemJson(problem, '/', requestId);
    logger.info({ reqId: requestId, route: 'unparsed', status: problem.status }, 'request');
    // An answer to HEAD has no body (a client would read one as the start of the next answer):
    // the headers, X-Request-Id among them, are all it gets.
    socket.end(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${isHeadRequest(error) ? '' : body}`,
    );
  });
  return server;
}

/** Whether the request node:http could not parse was a HEAD (from the raw bytes it read, when it kept them). */
function isHeadRequest(error: NodeJS.ErrnoException & { rawPacket?: unknown }): boolean {
  return Buffer.isBuffer(error.rawPacket) && error.rawPacket.subarray(0, 5).toString('latin1') === 'HEAD ';
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
  // Saved now, at the seeded generation: else the snapshot of the empty database written a
  // moment ago would be the one on disk until a clean shutdown, and a start after a kill
  // would find it stale and build again.
  catalog.records.saveSnapshot();
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
 * Reads the keys file again and makes the key ring hold exactly the environment's keys and the
 * file's: a key removed from the file stops working with the next request (its web sessions
 * end too). A file that cannot be read (half-written, bad JSON) leaves the keys as they were.
 */
function reloadKeys(config: ServiceConfig, keys: KeyRing, log: (line: string) => void): void {
  let fileKeys;
  try {
    fileKeys = readKeyFile(config.keysFile);
  } catch (error) {
    log(`  keys: ${config.keysFile} not reloaded, the keys stay as they were: ${(error as Error).message}`);
    return;
  }
  keys.replace(KeyRing.fromSpecs(config.apiKeys, fileKeys).entries);
  log(`  keys: reloaded, ${config.apiKeys.length} from PARTNERMATCH_API_KEYS, ${fileKeys.length} in ${config.keysFile}`);
}

/**
 * Watches the keys file's directory (editors and `mv` replace the file, which a watch on the
 * file itself would miss) and reloads the keys on any change to it.
 */
function watchKeysFile(path: string, reload: () => void): FSWatcher | undefined {
  const name = basename(path);
  try {
    const watcher = watch(dirname(path), { persistent: false }, (_event, filename) => {
      if (filename === null || filename === name) reload();
    });
    watcher.on('error', () => watcher.close());
    return watcher;
  } catch {
    return undefined; // no such directory or no inotify: SIGHUP still reloads
  }
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
    const catalog = new Catalog({
      store,
      cacheSize: config.cacheSize,
      warn: (message) => log(`  warning: ${message}`),
      snapshotDir: config.dataDir,
      ...(options.snapshotPreload === undefined ? {} : { snapshotPreload: options.snapshotPreload }),
      rankingThread: config.rankingThread,
    });
    const startup: string[] = [];
    seedIfEmpty(store, catalog, config, (line) => startup.push(line));
    const unusable = catalog.records.unusable();
    for (const { kind, id, problem } of unusable.slice(0, 20)) {
      startup.push(`  warning: stored ${kind} ${JSON.stringify(id)} has an id that cannot be used (${problem}); it is left out until renamed or deleted`);
    }
    if (unusable.length > 0) {
      startup.push(`  ids:  ${unusable.length} stored record(s) with unusable ids: GET /maintenance/unusable-ids lists them, POST /maintenance/rename or /maintenance/delete fixes them`);
    }
    const { keys, generatedKey, lines } = loadKeys(config);
    // Log lines are written asynchronously; a reader of stdout that falls behind (a busy pipe)
    // would otherwise make the server buffer them without bound. Past LOG_BUFFER_LIMIT unwritten
    // bytes, lines are dropped instead of growing memory.
    const logger = options.logger ?? pino({ level: config.logLevel }, pino.destination({ fd: 1, sync: false, maxLength: LOG_BUFFER_LIMIT }));
    const jobs = batchQueue({ onError: (error) => logger.error({ err: error }, 'batch job failed') });
    let draining = false;
    const app = createApp({
      catalog,
      keys,
      jobs,
      logger,
      onInternalError: (error, requestId) => logger.error({ reqId: requestId, err: error }, 'internal error'),
      limits: { body: config.bodyLimit, import: config.importLimit },
      trustProxy: config.trustProxy,
      draining: () => draining,
    });

    const listening = await new Promise<{ server: Server; port: number }>((resolve, reject) => {
      const s = createNodeServer(app, logger);
      s.once('error', reject);
      s.listen(config.port, config.host, () => resolve({ server: s, port: (s.address() as AddressInfo).port }));
    });
    server = listening.server;
    const { port } = listening;
    const url = `http://localhost:${port}`;

    log(`partnermatch API listening on ${url}`);
    for (const line of startup) log(line);
    log(`  data: ${store.path} (SQLite, ${store.journalMode} mode): ${catalog.records.count('company')} companies, ${catalog.records.count('need')} needs`);
    for (const line of lines) log(line);
    const source = catalog.records.indexSource;
    const snapshots = new SnapshotKeeper(() => {
      if (!catalog.records.snapshotBehind) return 'current';
      const began = performance.now();
      if (!catalog.records.saveSnapshot()) return 'not-now';
      logger.info({ generation: catalog.records.storedGeneration, ms: Math.round(performance.now() - began) }, 'index snapshot saved');
      return 'saved';
    }, config.snapshotDelaySeconds * 1000);
    catalog.records.listen({ changed: () => snapshots.changed() });
    // A snapshot caught up at start is saved as after a write: a second crash then has only
    // the writes since to catch up with, not a gap that grows with every restart.
    if (catalog.records.snapshotBehind) snapshots.changed();
    const loaded = source.from === 'snapshot' && source.caughtUp !== undefined ? `loaded from the snapshot and caught up with ${source.caughtUp} record(s) written since` : 'loaded from the snapshot';
    log(`  index: ${source.from === 'snapshot' ? loaded : `built (${source.reason})`} in ${config.dataDir}`);
    log(`  web:  ${url}/  (the coordinators' pages; sign in with an API key)`);
    log(`  docs: ${url}/docs  (OpenAPI 3.1 at ${url}/openapi.json)`);
    if (generatedKey !== undefined) {
      log('  No API key was configured, so a coordinator key was generated. It is shown only this once');
      log(`  and stored hashed in ${config.keysFile}:`);
      log(`      ${generatedKey}`);
    }
    const reload = (): void => reloadKeys(config, keys, log);
    const watcher = watchKeysFile(config.keysFile, reload);
    log('  Authenticate with "Authorization: Bearer KEY" (or "X-API-Key: KEY"), e.g.:');
    log(`      curl -H "Authorization: Bearer ${generatedKey ?? 'KEY'}" "${url}/needs/s-n01/matches?limit=5"`);

    const running = server;
    let closing: Promise<void> | undefined;
    // A start from the snapshot answers before it has read every record (each is read when
    // first used); the rest are read now, in turns between requests. The heap's first limit
    // is set from the data once all of it is in memory.
    const settled = catalog.records
      .readUnread(() => !draining)
      .catch((error: unknown) => log(`  warning: stored records could not be read ahead: ${error instanceof Error ? error.message : String(error)}`))
      .then(() => {
        if (draining) return;
        // The duplicate index first: a company write waits for it, a ranking only ranks on this
        // thread until the ranking thread answers. Its seed takes ~1 s of this thread at 100k
        // companies, the ranking thread's copy as long again after a catch-up: the latter a turn
        // later, so a request waiting since the seed goes first.
        if (config.duplicateWarmup) catalog.duplicates.warm();
        // The ranking thread copies every record: it starts once all of them are in memory.
        setImmediate(() => draining || catalog.rankingThread?.start());
        const heap = boundHeapGrowth(config.heapGrowthPercent);
        log(`  memory: ${heap.liveMiB.toFixed(0)} MiB live heap after load; ${heap.growthPercent > 0 ? `collected at ${heap.growthPercent} % past it (PARTNERMATCH_HEAP_GROWTH)` : "V8's own heap sizing"}`);
      });
    const close = (graceMs = 10_000): Promise<void> =>
      (closing ??= (async () => {
        draining = true;
        watcher?.close();
        snapshots.stop();
        await settled;
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
        await stopEvents(catalog);
        catalog.records.saveSnapshot();
        await catalog.close();
        store.close();
      })());

    return { url, port, server: running, app, catalog, generatedKey, close, reloadKeys: reload };
  } catch (error) {
    server?.close();
    store.close();
    throw error;
  }
}
