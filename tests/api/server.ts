import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { sampleDir } from '../helpers.js';

/** The built server entry point, found through the workspace package. */
const apiMain = join(dirname(createRequire(import.meta.url).resolve('@partnermatch/api/package.json')), 'dist', 'main.js');

export const READER_KEY = 'e2e-reader-key-0123456789';
export const COORDINATOR_KEY = 'e2e-coordinator-key-0123456789';
/** Both roles, as `PARTNERMATCH_API_KEYS` takes them. */
export const API_KEYS = `${READER_KEY}:reader,${COORDINATOR_KEY}:coordinator`;

export const sampleCompanies = JSON.parse(readFileSync(join(sampleDir, 'companies.json'), 'utf8')) as {
  id: string;
  contact?: { email?: string };
}[];
/** Every contact e-mail in the sample data: none may reach a reader. */
export const contactEmails = sampleCompanies.flatMap((c) => (c.contact?.email === undefined ? [] : [c.contact.email]));

export interface Call {
  /** `reader`, `coordinator`, none, or a raw key. */
  readonly key?: 'reader' | 'coordinator' | 'none' | { readonly raw: string };
  readonly json?: unknown;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  readonly method?: string;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  json<T>(): T;
}

/** A running `node services/api/dist/main.js` on an ephemeral port. */
export interface ApiProcess {
  readonly url: string;
  /** Everything the process printed to stdout so far. */
  output(): string;
  call(path: string, init?: Call): Promise<Answer>;
  /** Sends the signal and resolves with the exit code once the process has ended. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Every body answered to a reader (or without a key) so far. */
  readonly readerBodies: string[];
}

/** Starts the real server with PORT=0 in `dataDir`; resolves once it prints its URL. */
export function startApi(dataDir: string, env: Record<string, string> = {}): Promise<ApiProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DATA_DIR: dataDir, ...env };
  if (env['PARTNERMATCH_API_KEYS'] === undefined) delete childEnv['PARTNERMATCH_API_KEYS'];
  delete childEnv['PARTNERMATCH_SEED_DIR'];
  const child: ChildProcess = spawn(process.execPath, [apiMain], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /listening on (http:\/\/localhost:\d+)/.exec(stdout);
      if (match?.[1] !== undefined && stdout.includes('Authenticate with')) resolve(handle(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${stdout}\n${stderr}`)));
  });

  function handle(url: string): ApiProcess {
    const readerBodies: string[] = [];
    return {
      url,
      readerBodies,
      output: () => stdout,
      async call(path, init = {}) {
        const headers: Record<string, string> = { ...init.headers };
        const key = init.key ?? 'coordinator';
        if (key === 'reader') headers['authorization'] = `Bearer ${READER_KEY}`;
        else if (key === 'coordinator') headers['authorization'] = `Bearer ${COORDINATOR_KEY}`;
        else if (key !== 'none') headers['authorization'] = `Bearer ${key.raw}`;
        let body = init.body;
        if (init.json !== undefined) {
          body = JSON.stringify(init.json);
          headers['content-type'] ??= 'application/json';
        }
        const method = init.method ?? (body === undefined ? 'GET' : 'POST');
        const response = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
        const text = await response.text();
        if (key === 'reader' || key === 'none') readerBodies.push(`${method} ${path}\n${text}`);
        return { status: response.status, headers: response.headers, text, json: <T>() => JSON.parse(text) as T };
      },
      async stop(signal = 'SIGTERM') {
        child.kill(signal);
        return exited;
      },
    };
  }
}

/** Polls a batch job until it has finished; bounded by a number of polls, not by time. */
export async function waitForJob(api: ApiProcess, id: string, maxPolls = 2000): Promise<{ status: string; done: number; total: number }> {
  for (let i = 0; i < maxPolls; i += 1) {
    const job = (await api.call(`/jobs/${id}`, { key: 'reader' })).json<{ status: string; done: number; total: number }>();
    if (job.status !== 'queued' && job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`job ${id} did not finish within ${maxPolls} polls`);
}
