import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exists } from '../paths.js';

/** Issue 12's alert target: 1,000 subscriptions, one new need, matched and enqueued at 10k companies. */
export interface AlertsResult {
  readonly ran: boolean;
  readonly reason?: string;
  readonly companies?: number;
  readonly subscriptions?: number;
  readonly needs?: number;
  readonly matchAndEnqueue?: { readonly medianMs: number; readonly p95Ms: number; readonly maxMs: number };
  readonly alertsPerNeed?: { readonly median: number; readonly max: number };
}

const script = fileURLToPath(new URL('../../../services/api/dist/alerts/bench-matching.js', import.meta.url));

/**
 * Runs the service's own measurement (services/api/src/alerts/bench-matching.ts: the real
 * subscription store, matcher and outbox on a SQLite file) in a child process and reads its JSON.
 */
export function runAlerts(companies = 10_000, subscriptions = 1_000): Promise<AlertsResult> {
  if (!exists(script)) return Promise.resolve({ ran: false, reason: `services/api is not built (${script} is missing)` });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, String(companies), String(subscriptions), '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.once('exit', (code) => {
      if (code !== 0) return resolve({ ran: false, reason: `bench-matching exited ${code}: ${err.split('\n')[0] ?? ''}` });
      try {
        resolve({ ran: true, ...(JSON.parse(out.trim().split('\n').at(-1) ?? '') as Omit<AlertsResult, 'ran'>) });
      } catch {
        resolve({ ran: false, reason: 'bench-matching printed no JSON' });
      }
    });
  });
}

export function alertsTable(result: AlertsResult): string {
  if (!result.ran || result.matchAndEnqueue === undefined) return `alerts: skipped — ${result.reason ?? 'not run'}`;
  const m = result.matchAndEnqueue;
  return [
    '| subscriptions | companies | new needs | match + enqueue p50 | p95 | max | alerts per need (median / max) |',
    '|---|---|---|---|---|---|---|',
    `| ${result.subscriptions} | ${result.companies?.toLocaleString('en-US')} | ${result.needs} | ${m.medianMs.toFixed(1)} ms | ${m.p95Ms.toFixed(1)} ms | ${m.maxMs.toFixed(1)} ms | ${result.alertsPerNeed?.median} / ${result.alertsPerNeed?.max} |`,
  ].join('\n');
}
