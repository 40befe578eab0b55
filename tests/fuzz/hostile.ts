import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { send, type RawResponse } from './harness/http.js';
import { COORDINATOR_KEY, startService, type Service } from './harness/service.js';

/**
 * The hostile imports of issue 14 (F2): 10 MB each of NDJSON lines `{`, a JSON array
 * `[1,1,…]` and CSV rows that are all invalid. Target: each answered 400 within 5 s, the
 * server's peak RSS ≤ 400 MB, and `/health` from another connection answering in < 200 ms
 * all the while. Each case also reports /health polled the same way just before the import (on
 * a loaded machine that is the floor) and the server's own longest event-loop delay during it
 * (prom-client's monitorEventLoopDelay, read from /metrics). Each case gets a fresh server; one that runs far past the budget (3× the
 * memory, 6× the time) is stopped, so a regression cannot take the machine down with it.
 */

export const LIMITS = { ms: 5_000, peakMiB: 400, healthMs: 200 } as const;
const GUARD = { rssMiB: LIMITS.peakMiB * 3, ms: LIMITS.ms * 6 } as const;
const SIZE = 10 * 1024 * 1024;

export interface HostileCase {
  readonly name: string;
  readonly contentType: string;
  readonly path: string;
  body(): Buffer;
}

function repeatTo(head: string, unit: string, tail: string): Buffer {
  const n = Math.floor((SIZE - head.length - tail.length) / unit.length);
  return Buffer.from(head + unit.repeat(n) + tail, 'utf8');
}

export const HOSTILE_CASES: readonly HostileCase[] = [
  { name: 'NDJSON of lines "{"', contentType: 'application/x-ndjson', path: '/import/companies', body: () => repeatTo('', '{\n', '') },
  { name: 'JSON [1,1,…]', contentType: 'application/json', path: '/import/companies', body: () => repeatTo('[', '1,', '1]') },
  { name: 'CSV of bad rows', contentType: 'text/csv', path: '/import/companies', body: () => repeatTo('id,name,employees\n', 'b,,zz\n', '') },
];

export interface HostileResult {
  readonly name: string;
  readonly bodyBytes: number;
  readonly status: number | undefined;
  readonly ms: number;
  readonly answerBytes: number;
  readonly peakMiB: number | undefined;
  readonly health: { readonly count: number; readonly maxMs: number; readonly failed: number };
  /** `/health` polled the same way for a while before the import: what the machine gives an idle server. */
  readonly idleHealth: { readonly count: number; readonly maxMs: number; readonly failed: number };
  /** The server's own longest event-loop delay during the import (`nodejs_eventloop_lag_max_seconds`, reset by a scrape just before it). */
  readonly eventLoopMaxMs: number | undefined;
  readonly stopped?: string;
  readonly ok: boolean;
  readonly reasons: string[];
}

/** Scrapes `/metrics` (which also resets prom-client's event-loop delay histogram) and returns the longest delay since the last scrape, in ms. */
async function eventLoopMaxMs(service: Service): Promise<number | undefined> {
  try {
    const answer = await send(service, { method: 'GET', path: '/metrics' }, { timeoutMs: 30_000 });
    const value = /^nodejs_eventloop_lag_max_seconds(?:\{[^}]*\})? ([0-9.e+-]+)$/m.exec(answer.text())?.[1];
    return value === undefined ? undefined : Number(value) * 1000;
  } catch {
    return undefined;
  }
}

async function watchHealth(service: Service, stop: { done: boolean }): Promise<{ count: number; maxMs: number; failed: number }> {
  const health = { count: 0, maxMs: 0, failed: 0 };
  while (!stop.done) {
    const started = performance.now();
    try {
      const answer = await send(service, { method: 'GET', path: '/health' }, { timeoutMs: 30_000 });
      if (answer.status !== 200) health.failed += 1;
    } catch {
      health.failed += 1;
    }
    health.count += 1;
    health.maxMs = Math.max(health.maxMs, performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return health;
}

export async function runHostileCase(hostile: HostileCase): Promise<HostileResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'partnermatch-hostile-'));
  const service = await startService({ dataDir });
  try {
    const body = hostile.body();
    const idle = { done: false };
    const idleRun = watchHealth(service, idle);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    idle.done = true;
    const idleHealth = await idleRun;
    await eventLoopMaxMs(service);
    service.resetPeak();
    let peak = service.memory()?.peakMiB ?? 0;
    let stopped: string | undefined;
    const started = performance.now();
    const stop = { done: false };
    const healthRun = watchHealth(service, stop);
    const guard = setInterval(() => {
      const memory = service.memory();
      if (memory !== undefined) peak = Math.max(peak, memory.peakMiB, memory.rssMiB);
      const elapsed = performance.now() - started;
      if (stopped === undefined && ((memory?.rssMiB ?? 0) > GUARD.rssMiB || elapsed > GUARD.ms)) {
        stopped = `stopped by the guard at ${(elapsed / 1000).toFixed(1)} s, RSS ${memory?.rssMiB.toFixed(0)} MiB`;
        void service.kill9();
      }
    }, 50);
    let answer: RawResponse | undefined;
    try {
      answer = await send(
        service,
        { method: 'POST', path: hostile.path, headers: { 'content-type': hostile.contentType, authorization: `Bearer ${COORDINATOR_KEY}` }, body },
        { timeoutMs: GUARD.ms + 5_000, maxBody: 64 * 1024 },
      );
    } catch {
      answer = undefined;
    }
    const ms = performance.now() - started;
    clearInterval(guard);
    const memory = service.memory();
    if (memory !== undefined) peak = Math.max(peak, memory.peakMiB);
    stop.done = true;
    const health = await healthRun;
    const loopMaxMs = stopped === undefined ? await eventLoopMaxMs(service) : undefined;
    const reasons: string[] = [];
    if (answer?.status !== 400) reasons.push(`answered ${answer?.status ?? 'nothing'}, not 400`);
    else if (!String(answer.headers['content-type']).startsWith('application/problem+json')) reasons.push('the 400 is not problem+json');
    if (ms > LIMITS.ms) reasons.push(`took ${(ms / 1000).toFixed(1)} s > ${LIMITS.ms / 1000} s`);
    if (peak > LIMITS.peakMiB) reasons.push(`peak RSS ${peak.toFixed(0)} MiB > ${LIMITS.peakMiB}`);
    if (health.maxMs >= LIMITS.healthMs) reasons.push(`/health took up to ${health.maxMs.toFixed(0)} ms`);
    if (health.failed > 0) reasons.push(`/health failed ${health.failed} time(s)`);
    if (stopped !== undefined) reasons.push(stopped);
    return {
      name: hostile.name,
      bodyBytes: body.length,
      status: answer?.status,
      ms,
      answerBytes: answer?.bodyBytes ?? 0,
      peakMiB: peak,
      health,
      idleHealth,
      eventLoopMaxMs: loopMaxMs,
      ...(stopped === undefined ? {} : { stopped }),
      ok: reasons.length === 0,
      reasons,
    };
  } finally {
    await service.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runHostileImports(cases: readonly HostileCase[] = HOSTILE_CASES): Promise<HostileResult[]> {
  const results: HostileResult[] = [];
  for (const hostile of cases) results.push(await runHostileCase(hostile));
  return results;
}

export function formatHostile(results: readonly HostileResult[]): string {
  const lines = [`hostile imports (target: 400 in ≤ ${LIMITS.ms / 1000} s, peak RSS ≤ ${LIMITS.peakMiB} MiB, /health < ${LIMITS.healthMs} ms):`];
  for (const r of results) {
    lines.push(
      `  ${r.ok ? '✓' : '✗'} ${r.name} (${(r.bodyBytes / 1024 / 1024).toFixed(1)} MiB): ${r.status ?? 'no answer'} in ${(r.ms / 1000).toFixed(2)} s, answer ${(r.answerBytes / 1024).toFixed(0)} KiB, peak RSS ${r.peakMiB?.toFixed(0) ?? '?'} MiB, /health ${r.health.count}× max ${r.health.maxMs.toFixed(0)} ms (idle before: max ${r.idleHealth.maxMs.toFixed(0)} ms), server event-loop delay max ${r.eventLoopMaxMs?.toFixed(0) ?? '?'} ms${r.reasons.length === 0 ? '' : `\n      ${r.reasons.join('; ')}`}`,
    );
  }
  return lines.join('\n');
}
