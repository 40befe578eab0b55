import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exists, paths } from '../paths.js';
import type { Corpus } from '../settings.js';
import { generateCompanies } from '../corpus.js';
import { KEY, start, withoutDeadlines } from './service.js';

const WRITER_KEY = 'benchmark-coordinator-key-0123456789abcd';

export interface StartupRow {
  readonly start: 'empty database' | 'first (seed + build)' | 'from the snapshot';
  readonly companies: number;
  /** From spawning `node services/api/dist/main.js` to the first answered `GET /needs/:id/matches`. */
  readonly firstAnswerMs: number;
  /** The service's resident memory right after that answer. */
  readonly rssMB: number | null;
  /**
   * Right after the first answer, `POST /companies` of one new company: its answer waits for
   * the duplicate check, whose index is made at the first write (from the snapshot start only).
   */
  readonly firstWrite?: { readonly ms: number; readonly rssMB: number | null };
}

export type StartupResult =
  | { readonly ran: true; readonly rows: readonly StartupRow[]; readonly snapshotMB: number; readonly setup: string }
  | { readonly ran: false; readonly reason: string };

function rssMB(child: ChildProcess): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Service start at the corpus size, after an empty start for the fixed cost: the first start seeds the database and builds the index
 * (and saves its snapshot at the seeded generation right after the seed), the second loads
 * the snapshot. Each is timed from spawn to the first answer.
 */
export async function runStartup(corpus: Corpus): Promise<StartupResult> {
  if (!exists(paths.apiMain)) return { ran: false, reason: `services/api is not built (${paths.apiMain} is missing)` };
  const dir = mkdtempSync(join(tmpdir(), 'partnermatch-startup-'));
  const env = {
    PATH: process.env['PATH'],
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: join(dir, 'data'),
    PARTNERMATCH_SEED_DIR: dir,
    PARTNERMATCH_API_KEYS: `${KEY}:reader,${WRITER_KEY}:coordinator`,
  };
  const need = corpus.needs[0]!.id;
  const rows: StartupRow[] = [];
  try {
    writeFileSync(join(dir, 'companies.json'), JSON.stringify(corpus.companies));
    writeFileSync(join(dir, 'needs.json'), JSON.stringify(withoutDeadlines(corpus.needs)));
    // An empty database first: what a start costs before any record (Node, imports, SQLite).
    for (const kind of ['empty database', 'first (seed + build)', 'from the snapshot'] as const) {
      const began = performance.now();
      // Seeding 100k companies through the import and building takes minutes on a busy machine.
      const started = await start(kind === 'empty database' ? { ...env, DATA_DIR: join(dir, 'empty'), PARTNERMATCH_SEED: 'false' } : env, 3_600);
      try {
        const response = await fetch(`${started.url}/needs/${encodeURIComponent(need)}/matches`, { headers: { authorization: `Bearer ${KEY}` } });
        await response.arrayBuffer();
        const firstAnswerMs = performance.now() - began;
        if (response.status !== (kind === 'empty database' ? 404 : 200)) throw new Error(`the first answer (${kind}) had status ${response.status}`);
        const expected = kind === 'from the snapshot' ? /index: loaded from the snapshot/ : /index: built/;
        if (!expected.test(started.output())) throw new Error(`the ${kind} start did not log ${String(expected)}:\n${started.output().slice(-1_000)}`);
        const rss = rssMB(started.child);
        let firstWrite: StartupRow['firstWrite'];
        if (kind === 'from the snapshot') {
          const company = generateCompanies(1, corpus.seed, corpus.size + 1_000_000)[0]!;
          const wrote = performance.now();
          const created = await fetch(`${started.url}/companies`, {
            method: 'POST',
            headers: { authorization: `Bearer ${WRITER_KEY}`, 'content-type': 'application/json' },
            body: JSON.stringify(company),
          });
          await created.arrayBuffer();
          if (created.status !== 201) throw new Error(`the first write after the ${kind} start had status ${created.status}`);
          firstWrite = { ms: performance.now() - wrote, rssMB: rssMB(started.child) };
        }
        rows.push({ start: kind, companies: corpus.size, firstAnswerMs, rssMB: rss, ...(firstWrite === undefined ? {} : { firstWrite }) });
      } finally {
        await stop(started.child);
      }
    }
    return {
      ran: true,
      rows,
      snapshotMB: statSync(join(dir, 'data', 'index.snapshot')).size / 1024 ** 2,
      setup: `services/api (node services/api/dist/main.js) over ${corpus.size} companies and ${corpus.needs.length} needs in SQLite; spawn to first GET /needs/:id/matches`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
