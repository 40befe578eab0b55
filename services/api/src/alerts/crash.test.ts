/**
 * At-least-once across a crash: a real worker in a child process is killed with SIGKILL while
 * deliveries are in flight; a new one started on the same database file sends every pending
 * delivery, none lost. The child runs this folder's sources, transpiled by the TypeScript
 * compiler the repository already uses (no build step needed first).
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PartnerNeed } from '@partnermatch/core';
import ts from 'typescript';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueueAlerts } from './outbox.js';
import { SubscriptionStore } from './store.js';
import { until } from '../test-helpers.js';

const SRC = fileURLToPath(new URL('..', import.meta.url));
const API_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const secret = 'crash-test-secret-value';

let work: string;
let code: string;

/** This folder and followup/ as plain ESM JavaScript, where node_modules resolve as the package's own. */
function transpileModules(): string {
  const cache = join(API_ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const out = mkdtempSync(join(cache, 'alerts-crash-'));
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }');
  for (const folder of ['alerts', 'followup']) {
    mkdirSync(join(out, folder));
    for (const file of readdirSync(join(SRC, folder)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const { outputText } = ts.transpileModule(readFileSync(join(SRC, folder, file), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      });
      writeFileSync(join(out, folder, file.replace(/\.ts$/, '.js')), outputText);
    }
  }
  writeFileSync(
    join(out, 'child.mjs'),
    `import Database from 'better-sqlite3';
import { WebhookWorker } from './alerts/worker.js';
const db = new Database(process.argv[2]);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const worker = new WebhookWorker(db, { pollMs: 20, concurrency: 2, backoff: { initialMs: 50, maxMs: 200 }, timeoutMs: 60000 });
worker.start();
setInterval(() => {}, 1000); // the worker's timer does not hold the process open; a service's server would
process.stdout.write('started\\n');
`,
  );
  return out;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'pm-alerts-crash-'));
  code = transpileModules();
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(code, { recursive: true, force: true });
});

function startWorker(dbPath: string): ChildProcess {
  return spawn(process.execPath, [join(code, 'child.mjs'), dbPath], {
    env: { ...process.env, PARTNERMATCH_WEBHOOK_ALLOW_PRIVATE: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

it('kill -9 during delivery loses nothing: after a restart every pending delivery is sent', { timeout: 60_000 }, async () => {
  // The receiver holds every request in phase 1 (the worker is killed meanwhile) and answers in
  // phase 2 — with one 500 first, so a retry after the restart is exercised too.
  let phase: 1 | 2 = 1;
  const held: ServerResponse[] = [];
  const sockets = new Set<Socket>();
  const log: { phase: number; deliveryId: string; status: number; signed: boolean }[] = [];
  let failedOnce = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const signed = req.headers['x-partnermatch-signature'] === `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
      const deliveryId = (JSON.parse(raw) as { deliveryId: string }).deliveryId;
      if (phase === 1) {
        log.push({ phase, deliveryId, status: 0, signed });
        held.push(res);
        return;
      }
      const status = failedOnce ? 200 : 500;
      failedOnce = true;
      log.push({ phase, deliveryId, status, signed });
      res.writeHead(status).end();
    });
  });
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

  const dbPath = join(work, 'outbox.db');
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  const store = new SubscriptionStore(db, { allowPrivate: true });
  const subscription = await store.create({ url, secret, companyId: 'c' }, { name: 'k', role: 'coordinator' }, { companyExists: () => true });
  const need = { id: 'n1', title: 'need' } as PartnerNeed;
  const ids = enqueueAlerts(
    db,
    need,
    Array.from({ length: 6 }, (_, i) => ({ subscription, needId: 'n1', companyId: `c${i}`, score: 0.8, summary: 's' })),
  ).deliveryIds;

  const first = startWorker(dbPath);
  await until(() => held.length >= 2, 'two deliveries held');
  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));
  expect(first.signalCode).toBe('SIGKILL');
  for (const socket of sockets) socket.destroy();

  const inFlight = db.prepare("SELECT delivery_id FROM alert_attempts WHERE outcome = 'in-flight' ORDER BY delivery_id").all() as { delivery_id: string }[];
  expect(inFlight.map((r) => r.delivery_id)).toEqual(log.map((l) => l.deliveryId).sort());
  expect(db.prepare("SELECT count(*) AS n FROM alert_deliveries WHERE status = 'pending'").get()).toEqual({ n: 6 });

  phase = 2;
  const second = startWorker(dbPath);
  try {
    await until(() => (db.prepare("SELECT count(*) AS n FROM alert_deliveries WHERE status = 'delivered'").get() as { n: number }).n === 6, 'six deliveries delivered');
  } finally {
    second.kill('SIGKILL');
    await new Promise((resolve) => second.once('exit', resolve));
    await new Promise((resolve) => server.close(resolve));
  }

  const accepted = new Set(log.filter((l) => l.status === 200).map((l) => l.deliveryId));
  expect([...accepted].sort()).toEqual([...ids].sort());
  expect(log.every((l) => l.signed)).toBe(true);
  // The deliveries cut off by the kill show that attempt as interrupted, then the one that went through.
  for (const { delivery_id: id } of inFlight) {
    const outcomes = (db.prepare('SELECT outcome FROM alert_attempts WHERE delivery_id = ? ORDER BY attempt').all(id) as { outcome: string }[]).map((r) => r.outcome);
    expect(outcomes[0]).toBe('interrupted');
    expect(outcomes.at(-1)).toBe('delivered');
  }
  expect(db.prepare("SELECT count(*) AS n FROM alert_attempts WHERE outcome = 'failed' AND http_status = 500").get()).toEqual({ n: 1 });
  db.close();
});
