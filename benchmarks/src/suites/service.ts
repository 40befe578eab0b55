import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { PartnerNeed } from '@partnermatch/core';
import { generateCompanies } from '../corpus.js';
import { cycle } from '../measure.js';
import { exists, paths } from '../paths.js';
import type { Corpus, Settings } from '../settings.js';

export interface ServiceRow {
  readonly scenario: 'cache hit' | 'cache miss';
  readonly companies: number;
  readonly requestsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly non2xx: number;
  /** Cache lookups during the run, from the service's own /metrics. */
  readonly cacheHits: number;
  readonly cacheMisses: number;
  /**
   * The service's CPU time per request (user + system, from its /metrics): what the
   * throughput would be bounded by on an idle core, and comparable on a busy machine.
   */
  readonly cpuMsPerRequest: number;
}

export type ServiceResult = { readonly ran: true; readonly rows: readonly ServiceRow[]; readonly setup: string } | { readonly ran: false; readonly reason: string };

export const KEY = 'benchmark-reader-key-0123456789abcdef';
const CONNECTIONS = 10;
/** Characters of the service's output kept once it listens (for an error message). */
const OUTPUT_TAIL = 64 * 1024;

export function start(env: NodeJS.ProcessEnv, timeoutSec = 120): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [paths.apiMain], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    // Only the start-up lines and then a tail are kept: the service logs a line per request, and
    // reading a growing log whole (as this once did, with a regex over all of it per chunk) cost
    // the load generator in this process more CPU than the service spent answering.
    let output = '';
    let listening = false;
    const keep = (chunk: Buffer) => {
      output += chunk.toString();
      if (listening && output.length > OUTPUT_TAIL) output = output.slice(-OUTPUT_TAIL);
    };
    const timer = setTimeout(() => fail(new Error(`the API did not start within ${timeoutSec} s`)), timeoutSec * 1000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new Error(`${error.message}\n${output.slice(-2_000)}`));
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (listening) return;
      const port = /listening on http:\/\/[^:]+:(\d+)/.exec(output)?.[1];
      if (port !== undefined) {
        listening = true;
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${port}`, output: () => output });
      }
    });
    child.stderr!.on('data', keep);
    child.once('exit', (code) => fail(new Error(`the API exited with code ${code}`)));
  });
}

async function cacheCounters(url: string): Promise<{ hits: number; misses: number; cpuSeconds: number }> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { hits: value('partnermatch_cache_hits_total'), misses: value('partnermatch_cache_misses_total'), cpuSeconds: value('process_cpu_seconds_total') };
}

async function load(url: string, seconds: number, path: () => string, scenario: ServiceRow['scenario'], companies: number): Promise<ServiceRow> {
  const before = await cacheCounters(url);
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { authorization: `Bearer ${KEY}` },
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: path() }) }],
  });
  const after = await cacheCounters(url);
  return {
    scenario,
    companies,
    requestsPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx + result.errors,
    cacheHits: after.hits - before.hits,
    cacheMisses: after.misses - before.misses,
    cpuMsPerRequest: ((after.cpuSeconds - before.cpuSeconds) * 1000) / Math.max(1, result.requests.total),
  };
}

/**
 * The needs as the service should rank them: the API ranks a need past its deadline for
 * nobody, and the generated deadlines straddle today, so they are left out (what
 * `includeExpired` does in core) to keep every request a real ranking, as in earlier runs.
 */
export function withoutDeadlines(needs: readonly PartnerNeed[]): PartnerNeed[] {
  return needs.map(({ deadline: _deadline, ...need }) => need);
}

/**
 * The HTTP service over 10k companies and the 1,000 needs: autocannon (10 connections)
 * against GET /needs/:id/matches (default: top 10 with explanations). Cache hit: one need
 * asked again and again. Cache miss: the service runs with a one-entry cache and every
 * request asks for the next need, so each is ranked afresh. The service runs in its own
 * process, autocannon in this one: on two cores they share the machine.
 */
export async function runService(corpus: Corpus, settings: Settings): Promise<ServiceResult> {
  if (!exists(paths.apiMain)) return { ran: false, reason: `services/api is not built (${paths.apiMain} is missing)` };
  const size = 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'partnermatch-bench-'));
  let child: ChildProcess | undefined;
  try {
    const companies = corpus.size === size ? corpus.companies : generateCompanies(size, corpus.seed);
    writeFileSync(join(dir, 'companies.json'), JSON.stringify(companies));
    writeFileSync(join(dir, 'needs.json'), JSON.stringify(withoutDeadlines(corpus.needs)));
    const started = await start({
      PATH: process.env['PATH'],
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'data'),
      PARTNERMATCH_SEED_DIR: dir,
      PARTNERMATCH_API_KEYS: `${KEY}:reader`,
      PARTNERMATCH_CACHE_SIZE: '1',
    });
    child = started.child;
    const listed = (await (await fetch(`${started.url}/companies?limit=1`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as { total?: number };
    if (listed.total !== size) throw new Error(`the API was seeded with ${String(listed.total)} companies, not ${size}`);
    const first = corpus.needs[0]!.id;
    const ids = cycle(corpus.needs.map((need) => need.id));
    const rows = [
      await load(started.url, settings.serviceSeconds, () => `/needs/${first}/matches`, 'cache hit', size),
      await load(started.url, settings.serviceSeconds, () => `/needs/${encodeURIComponent(ids())}/matches`, 'cache miss', size),
    ];
    const metrics = await (await fetch(`${started.url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })).text();
    const threaded = /^partnermatch_ranking_thread_ready 1$/m.test(metrics);
    const rankedOnThread = Number(/^partnermatch_rankings_on_thread_total (\S+)$/m.exec(metrics)?.[1] ?? 0);
    const rankedOnMain = Number(/^partnermatch_rankings_left_to_main_total (\S+)$/m.exec(metrics)?.[1] ?? 0);
    return {
      ran: true,
      rows,
      setup: `services/api (node services/api/dist/main.js), ${size} companies and ${corpus.needs.length} needs seeded, cache size 1, ranking thread ${threaded ? 'on' : 'off'} (PARTNERMATCH_RANKING_THREAD, default on with ≥ 2 cores; ${rankedOnThread} of the misses ranked there, ${rankedOnMain} by the main thread as its share); autocannon ${CONNECTIONS} connections × ${settings.serviceSeconds} s in the benchmark process`,
    };
  } finally {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
