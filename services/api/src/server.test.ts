import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { startServer } from './server.js';
import { Store } from './store.js';
import { until } from './test-helpers.js';

const KEY = 'coordinator-key-for-server-tests';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'partnermatch-server-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('startServer', () => {
  it('finishes a request in flight when closed, then closes the database', async () => {
    const lines: string[] = [];
    const config = loadConfig({ PORT: '0', DATA_DIR: dir, PARTNERMATCH_SEED: 'false', PARTNERMATCH_API_KEYS: `${KEY}:coordinator` });
    const running = await startServer(config, { log: (line) => lines.push(line) });
    expect(lines[0]).toBe(`partnermatch API listening on ${running.url}`);

    const body = JSON.stringify({ id: 'late', name: 'Late AB', description: 'Sent while the server shuts down' });
    const half = Math.floor(body.length / 2);
    const socket = connect(running.port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const dispatched = new Promise<void>((resolve) => running.server.once('request', () => resolve()));
    socket.write(
      `POST /companies HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
    );
    await dispatched; // the request is in flight: headers read, body not complete

    let closed = false;
    const closing = running.close().then(() => {
      closed = true;
    });
    socket.write(body.slice(half));
    await ended;
    await closing;

    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    expect(closed).toBe(true);
    const store = Store.open(join(dir, 'partnermatch.db'));
    expect(store.all('company').map((c) => c.id)).toEqual(['late']);
    store.close();
  });

  it('seeds all or nothing: a problem in the needs file leaves no companies behind either', async () => {
    const seedDir = join(dir, 'seed');
    mkdirSync(seedDir);
    writeFileSync(join(seedDir, 'companies.json'), JSON.stringify([{ id: 'seed-c', name: 'Seed AB', description: 'Solpaneler' }]));
    writeFileSync(join(seedDir, 'needs.json'), JSON.stringify([{ id: 'seed-n', title: 'No organization', description: 'x' }]));
    const config = loadConfig({ PORT: '0', DATA_DIR: dir, PARTNERMATCH_SEED_DIR: seedDir, PARTNERMATCH_API_KEYS: `${KEY}:coordinator` });
    await expect(startServer(config, { log: () => {} })).rejects.toThrow(/seed data .* was not loaded: needs\[0\]\.organization: is required/);
    const store = Store.open(join(dir, 'partnermatch.db'));
    expect([store.count('company'), store.count('need')]).toEqual([0, 0]);
    store.close();

    writeFileSync(join(seedDir, 'needs.json'), JSON.stringify([{ id: 'seed-n', title: 'T', organization: 'O', description: 'x' }]));
    const lines: string[] = [];
    const running = await startServer(config, { log: (line) => lines.push(line) });
    await running.close();
    expect(lines).toContain(`  seed: loaded 1 companies and 1 needs from ${seedDir}`);
  });

  it('refuses to start on a port that is taken, closing the database', async () => {
    const config = loadConfig({ PORT: '0', DATA_DIR: dir, PARTNERMATCH_SEED: 'false', PARTNERMATCH_API_KEYS: `${KEY}:coordinator` });
    const first = await startServer(config, { log: () => {} });
    try {
      await expect(startServer({ ...config, port: first.port }, { log: () => {} })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });

  it('ranks on the ranking thread, from the snapshot file after a restart, as the main thread ranks', async () => {
    const env = { PORT: '0', DATA_DIR: dir, PARTNERMATCH_API_KEYS: `${KEY}:coordinator`, PARTNERMATCH_LOG_LEVEL: 'silent' };
    const paths = ['s-n01', 's-n04', 's-n09', 's-n17'].map((id) => `/needs/${id}/matches`).concat('/companies/s-c05/matches?limit=4');
    // One at a time: asked together, the main thread would rank a share of them itself.
    const answers = async (running: Awaited<ReturnType<typeof startServer>>): Promise<string[]> => {
      const texts: string[] = [];
      for (const path of paths) texts.push(await (await fetch(`${running.url}${path}`, { headers: { authorization: `Bearer ${KEY}` } })).text());
      return texts;
    };
    const run = async (threaded: boolean): Promise<{ texts: string[]; onThread: number; lines: string[] }> => {
      const lines: string[] = [];
      const running = await startServer(loadConfig({ ...env, PARTNERMATCH_RANKING_THREAD: String(threaded) }), { log: (line) => lines.push(line) });
      try {
        const thread = running.catalog.rankingThread;
        expect(thread === undefined).toBe(!threaded);
        if (thread !== undefined) await until(() => thread.stats.ready, 'the ranking thread');
        return { texts: await answers(running), onThread: thread?.stats.ranked ?? 0, lines };
      } finally {
        await running.close();
      }
    };
    const seeded = await run(true);
    expect(seeded.onThread).toBe(paths.length);
    const restarted = await run(true);
    expect(restarted.lines.some((line) => line.includes('index: loaded from the snapshot'))).toBe(true);
    expect(restarted.onThread).toBe(paths.length);
    expect(restarted.lines.filter((line) => line.includes('ranking thread'))).toEqual([]);
    const local = await run(false);
    expect(local.onThread).toBe(0);
    expect(restarted.texts).toEqual(local.texts);
    expect(seeded.texts).toEqual(local.texts);
    expect(JSON.parse(local.texts[0]!).matches.length).toBeGreaterThan(0);
  });

  it('builds the duplicate index once the records are read, before any write, unless PARTNERMATCH_DUPLICATE_WARMUP is off', async () => {
    const env = { PORT: '0', DATA_DIR: dir, PARTNERMATCH_API_KEYS: `${KEY}:coordinator`, PARTNERMATCH_LOG_LEVEL: 'silent', PARTNERMATCH_RANKING_THREAD: 'true' };
    const copy = { name: 'Volta Cellpack Sverige AB', description: 'Volta Cellpack konstruerar och monterar batteripaket och containeriserade batterilager (BESS) för industri, elnätsstöd och kapning av effekttoppar.' };
    const create = async (running: Awaited<ReturnType<typeof startServer>>, id: string) => {
      const answer = await fetch(`${running.url}/companies`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id, ...copy, municipality: 'Olofström', sectors: ['energy.storage'], partnershipTypes: ['export'] }),
      });
      expect(answer.status).toBe(201);
      return (await answer.json()) as { warnings?: { duplicateOf: string; reason: string }[] };
    };
    const warmed = await startServer(loadConfig(env), { log: () => {} });
    try {
      await until(() => warmed.catalog.duplicates.threaded, 'the duplicate index');
      expect(warmed.catalog.duplicates.threaded).toBe(true);
      // The index made before the write holds the stored records: the copy is found.
      expect((await create(warmed, 'dup-warm-1')).warnings).toEqual([expect.objectContaining({ duplicateOf: 's-c05', reason: 'similar-text' })]);
    } finally {
      await warmed.close();
    }

    const lazy = await startServer(loadConfig({ ...env, PARTNERMATCH_DUPLICATE_WARMUP: 'false' }), { log: () => {} });
    try {
      // The warm-up would run just before the ranking thread starts: once that answers, it is past.
      await until(() => lazy.catalog.rankingThread?.stats.ready === true, 'the ranking thread');
      expect(lazy.catalog.rankingThread?.stats.ready).toBe(true);
      expect(lazy.catalog.duplicates.threaded).toBe(false);
      // Built at this first write, from the stored records: the earlier copy too.
      expect((await create(lazy, 'dup-lazy-1')).warnings?.map((warning) => warning.duplicateOf).sort()).toEqual(['dup-warm-1', 's-c05']);
      expect(lazy.catalog.duplicates.threaded).toBe(true);
    } finally {
      await lazy.close();
    }
  });
});
