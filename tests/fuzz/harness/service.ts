import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { send } from './http.js';

/**
 * The service as a black box: `node services/api/dist/main.js` as a real process on
 * 127.0.0.1 and an ephemeral port, configured only through its environment, observed only
 * over HTTP and through /proc. Nothing here imports the service's code, so these checks
 * survive any restructuring of it.
 */

const apiMain = join(dirname(createRequire(import.meta.url).resolve('@partnermatch/api/package.json')), 'dist', 'main.js');

export const READER_KEY = 'fuzz-reader-key-0123456789abcdef';
export const COORDINATOR_KEY = 'fuzz-coordinator-key-0123456789abcdef';
export const API_KEYS = `${READER_KEY}:reader,${COORDINATOR_KEY}:coordinator`;
export const HOST = '127.0.0.1';

export interface Service {
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  readonly dataDir: string;
  /** `http://127.0.0.1:PORT` (loopback only). */
  readonly origin: string;
  /** What the process printed so far. */
  stdout(): string;
  stderr(): string;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  readonly exited: Promise<number | string | null>;
  /** Sends SIGTERM (or another signal) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | string | null>;
  /** kill -9, then waits until the process is gone. */
  kill9(): Promise<void>;
  /** Current and peak resident set size in MiB, from /proc; undefined once the process is gone. */
  memory(): { rssMiB: number; peakMiB: number } | undefined;
  /** Resets the peak RSS counter (Linux `clear_refs` 5); false when the kernel refuses. */
  resetPeak(): boolean;
}

export interface StartOptions {
  readonly dataDir: string;
  /** Extra environment; PORT, HOST and DATA_DIR are always set here. */
  readonly env?: Record<string, string>;
  /** Leave out PARTNERMATCH_API_KEYS (to test keys files). */
  readonly noEnvKeys?: boolean;
  readonly readyTimeoutMs?: number;
  /** A directory of `companies.json` / `needs.json` the service seeds an empty database from (PARTNERMATCH_SEED_DIR). */
  readonly seedDir?: string;
}

/** The listening line, plain or inside a structured log line. */
const LISTENING = /listening on https?:\/\/[^\s:/"]+:(\d+)/;

export async function startService(options: StartOptions): Promise<Service> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, PORT: '0', HOST, DATA_DIR: options.dataDir };
  if (options.noEnvKeys === true) delete env['PARTNERMATCH_API_KEYS'];
  else env['PARTNERMATCH_API_KEYS'] ??= API_KEYS;
  delete env['PARTNERMATCH_SEED_DIR'];
  if (options.seedDir !== undefined) env['PARTNERMATCH_SEED_DIR'] = options.seedDir;
  delete env['INIT_CWD'];
  const child: ChildProcess = spawn(process.execPath, [apiMain], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let running = true;
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => {
      running = false;
      resolve(code ?? signal);
    }),
  );
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    // Keep the tail only: a fuzz run can make a service log a lot.
    err = (err + chunk).slice(-200_000);
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service did not print its port within ${options.readyTimeoutMs ?? 60_000} ms:\n${out}\n${err}`)), options.readyTimeoutMs ?? 60_000);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (out.length < 100_000) out += chunk;
      const match = LISTENING.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited (${String(code)}) before listening:\n${out}\n${err}`));
    });
  });
  const pid = child.pid ?? -1;
  const service: Service = {
    host: HOST,
    port,
    pid,
    dataDir: options.dataDir,
    origin: `http://${HOST}:${port}`,
    stdout: () => out,
    stderr: () => err,
    alive: () => running,
    exited,
    async stop(signal = 'SIGTERM') {
      if (running) child.kill(signal);
      return exited;
    },
    async kill9() {
      if (running) child.kill('SIGKILL');
      await exited;
    },
    memory() {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
        const rss = kb('VmRSS');
        const peak = kb('VmHWM');
        // A killed process not yet reaped (a zombie) has no memory lines.
        return Number.isFinite(rss) && Number.isFinite(peak) ? { rssMiB: rss / 1024, peakMiB: peak / 1024 } : undefined;
      } catch {
        return undefined;
      }
    },
    resetPeak() {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
  };
  // Ready means answering, not just bound.
  for (let i = 0; ; i += 1) {
    try {
      const health = await send(service, { method: 'GET', path: '/health' }, { timeoutMs: 5_000 });
      if (health.status === 200) break;
    } catch (error) {
      if (i >= 50) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return service;
}
