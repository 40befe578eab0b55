import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createMatcher, openMatcherReplica, type MatcherReplica } from '@partnermatch/core';
import { makeTestApp, sampleCompanies, sampleNeeds, until, type Caller, type TestApp } from '../test-helpers.js';
import { OVERFLOW_AT, RankingThread, SHARE_FROM } from './ranking-thread.js';
import type { Records } from './records.js';

const opened: TestApp[] = [];
afterEach(() => {
  for (const app of opened.splice(0)) app.close();
});

function app(options: Parameters<typeof makeTestApp>[0] = {}): TestApp {
  const made = makeTestApp(options);
  opened.push(made);
  return made;
}

const onThread = (t: TestApp): number => t.catalog.rankingThread!.stats.ranked;
const ready = (t: TestApp) => until(() => t.catalog.rankingThread!.stats.ready, 'the ranking thread');

/** Status and body text of a GET, as `as` sees it. */
async function answer(t: TestApp, path: string, as: Caller): Promise<string> {
  const response = await t.call('GET', path, { as });
  return `${response.status} ${await response.text()}`;
}

/** Both apps answer every path alike, byte for byte, for a reader and a coordinator. */
async function expectSameAnswers(threaded: TestApp, local: TestApp, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    for (const as of ['reader', 'coordinator'] as const) {
      expect(await answer(threaded, path, as), `${as} ${path}`).toBe(await answer(local, path, as));
    }
  }
}

const needPaths = (ids: readonly string[]) => ids.flatMap((id) => [`/needs/${id}/matches`, `/needs/${id}/matches?limit=3&explain=false&minScore=0.2`]);
const companyPaths = (ids: readonly string[]) => ids.map((id) => `/companies/${id}/matches?limit=5`);

describe('the ranking thread', () => {
  it('answers the matches routes byte for byte as the main thread does, for every sample need and company', async () => {
    const threaded = app({ rankingThread: true });
    const local = app();
    await ready(threaded);
    await expectSameAnswers(threaded, local, [...needPaths(sampleNeeds.map((n) => n.id)), ...companyPaths(sampleCompanies.map((c) => c.id))]);
    // Every one of those was ranked on the thread (the closed need's too): the comparison was not main against main.
    expect(onThread(threaded)).toBe(2 * (2 * sampleNeeds.length + sampleCompanies.length));
    const metrics = await (await threaded.call('GET', '/metrics')).text();
    expect(metrics).toMatch(/^partnermatch_rankings_on_thread_total [1-9]\d*$/m);
    expect(metrics).toMatch(/^partnermatch_ranking_thread_ready 1$/m);
  });

  it('answers alike when many requests come at once and the main thread ranks a share of them', async () => {
    const threaded = app({ rankingThread: true });
    const local = app();
    await ready(threaded);
    const paths = [...needPaths(sampleNeeds.map((n) => n.id)), ...companyPaths(sampleCompanies.map((c) => c.id))];
    const together = await Promise.all(paths.map((path) => answer(threaded, path, 'coordinator')));
    for (const [i, path] of paths.entries()) expect(together[i], path).toBe(await answer(local, path, 'coordinator'));
    const { ranked, leftToMain } = threaded.catalog.rankingThread!.stats;
    expect(ranked).toBeGreaterThan(0);
    expect(leftToMain).toBeGreaterThan(0);
    expect(ranked + leftToMain).toBe(paths.length);
    const metrics = await (await threaded.call('GET', '/metrics')).text();
    expect(metrics).toMatch(new RegExp(`^partnermatch_rankings_left_to_main_total ${leftToMain}$`, 'm'));
  });

  it('shows a coordinator the decisions on ranked pairs, and leaves the queries with a declined pair to the main thread', async () => {
    const threaded = app({ rankingThread: true });
    const local = app();
    await ready(threaded);
    const need = 's-n01';
    const ranked = JSON.parse((await answer(local, `/needs/${need}/matches`, 'reader')).slice(4)) as { matches: { companyId: string }[] };
    const [first, second] = ranked.matches.map((m) => m.companyId);
    for (const t of [threaded, local]) {
      expect((await t.call('PUT', `/decisions/${need}/${first}`, { json: { status: 'contacted' } })).status).toBe(201);
    }
    const before = onThread(threaded);
    await expectSameAnswers(threaded, local, [`/needs/${need}/matches`]);
    expect(await answer(threaded, `/needs/${need}/matches`, 'coordinator')).toContain('"decision":"contacted"');
    expect(onThread(threaded)).toBe(before + 2);
    for (const t of [threaded, local]) {
      expect((await t.call('PUT', `/decisions/${need}/${second}`, { json: { status: 'declined' } })).status).toBe(201);
    }
    const withDeclined = onThread(threaded);
    await expectSameAnswers(threaded, local, [`/needs/${need}/matches`, `/needs/${need}/matches?includeDeclined=true`]);
    expect(await answer(threaded, `/needs/${need}/matches`, 'reader')).not.toContain(`"companyId":"${second}"`);
    // Only the coordinator's includeDeclined=true leaves nothing out: that one ranking ran on the thread.
    expect(await answer(threaded, `/needs/${need}/matches?includeDeclined=true`, 'coordinator')).toContain('"decision":"declined"');
    expect(onThread(threaded)).toBe(withDeclined + 1);
  });

  it('follows every write: creates, updates, patches, deletes and imports answer alike', async () => {
    const threaded = app({ rankingThread: true });
    const local = app();
    await ready(threaded);
    const newcomer = {
      ...sampleCompanies[0]!,
      id: 'w-solar',
      name: 'Nya Solparker AB',
      description: 'Solcellsparker, batterilager och mikronät för avlägsna byar; 光伏 储能 微电网',
    };
    const imported = sampleCompanies.slice(1, 6).map((c, i) => ({ ...c, id: `w-imp-${i}`, name: `${c.name} Två` }));
    const writes: [string, string, unknown][] = [
      ['POST', '/companies', newcomer],
      ['PATCH', '/needs/s-n02', { description: 'Vi söker solceller och batterilager till en skola; 光伏发电' }],
      ['DELETE', `/companies/${sampleCompanies[3]!.id}`, undefined],
      ['POST', '/import/companies', imported],
      ['PATCH', `/companies/${sampleCompanies[5]!.id}`, { description: 'Biogas och rötning av gödsel; 沼气' }],
    ];
    const paths = [...needPaths(sampleNeeds.slice(0, 8).map((n) => n.id)), ...companyPaths(['w-solar', sampleCompanies[5]!.id])];
    for (const [method, path, body] of writes) {
      for (const t of [threaded, local]) {
        const response = await t.call(method, path, body === undefined ? {} : { json: body });
        expect(response.status, `${method} ${path}`).toBeLessThan(300);
      }
      const before = onThread(threaded);
      await expectSameAnswers(threaded, local, paths.filter((p) => !p.includes(sampleCompanies[3]!.id)));
      expect(onThread(threaded), `ranked on the thread after ${method} ${path}`).toBeGreaterThan(before);
    }
    // The newcomer is ranked, from the thread, for a need about its field.
    expect(await answer(threaded, '/needs/s-n02/matches?limit=48', 'reader')).toContain('"companyId":"w-solar"');
  });

  it('drops the copy after many writes in a row and makes it again once they pause, answering alike throughout', async () => {
    const threaded = app({ rankingThread: { mirroredAtMost: 2, reopenAfterMs: 50 } });
    const local = app();
    await ready(threaded);
    for (const t of [threaded, local]) {
      for (const company of sampleCompanies.slice(10, 14)) {
        expect((await t.call('PATCH', `/companies/${company.id}`, { json: { name: `${company.name} (ny)` } })).status).toBe(200);
      }
    }
    expect(threaded.catalog.rankingThread!.stats.ready).toBe(false);
    const dropped = onThread(threaded);
    await expectSameAnswers(threaded, local, needPaths(['s-n03', 's-n04']));
    expect(onThread(threaded)).toBe(dropped);
    await ready(threaded);
    // Other needs: the answers above are cached until the next write.
    await expectSameAnswers(threaded, local, needPaths(['s-n05', 's-n06']));
    expect(onThread(threaded)).toBeGreaterThan(dropped);
  });

  it('answers from the main thread when the copy is gone', async () => {
    const threaded = app({ rankingThread: true });
    const local = app();
    await ready(threaded);
    await threaded.catalog.rankingThread!.close();
    const before = onThread(threaded);
    await expectSameAnswers(threaded, local, needPaths(['s-n05']));
    expect(onThread(threaded)).toBe(before);
  });

  it('never keeps a process alive that has nothing else to do', () => {
    const script = `
      const { createMatcher, openMatcherReplica } = await import('@partnermatch/core');
      const replica = openMatcherReplica(createMatcher({ companies: [{ id: 'a', name: 'Sol AB', description: 'solceller' }] }));
      while (!replica.ready && replica.failure === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
      console.log(replica.ready ? 'ready' : replica.failure);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000, cwd: import.meta.dirname });
    expect(run.stdout.trim()).toBe('ready');
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
  });

  it('makes a failed copy again, three times in a row at most, then waits for a write', async () => {
    // Records as far as the thread uses them, and copies that fail as a worker that exits does.
    const listeners: { changed?: () => void }[] = [];
    let opened = 0;
    const failing = (): MatcherReplica => ({
      ready: false,
      failure: 'the replica\'s worker exited (code 1)',
      put: () => undefined,
      remove: () => undefined,
      rank: async () => undefined,
      rankAsJson: async () => undefined,
      close: async () => undefined,
    });
    const records = {
      listen: (listener: { changed?: () => void }) => void listeners.push(listener),
      openReplica: () => {
        opened += 1;
        return failing();
      },
      readUnread: async () => undefined,
    } as unknown as Records;
    const warnings: string[] = [];
    const thread = new RankingThread(records, { reopenAfterMs: 5, warn: (message) => warnings.push(message) });
    thread.start();
    for (let asked = 0; asked < 10; asked += 1) {
      expect(await thread.rank('need', 's-n01', {})).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(opened).toBe(4);
    expect(warnings.filter((w) => w.endsWith('until it is made again'))).toHaveLength(3);
    expect(warnings.at(-1)).toMatch(/worker exited .* until the next write$/);
    for (const listener of listeners) listener.changed?.();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(opened).toBe(5);
    await thread.close();
  });

  it('answers at once, for the caller to rank, past the rankings it lets wait on the worker', async () => {
    const matcher = createMatcher({ companies: sampleCompanies, needs: sampleNeeds });
    const replica = openMatcherReplica(matcher, { maxPending: 2 });
    try {
      await until(() => replica.ready, 'the replica');
      const asked = sampleNeeds.slice(0, 5).map((need) => replica.rankAsJson('need', need.id, {}));
      const answers = await Promise.all(asked);
      // The first two waited on the worker and came back; the other three were left to the caller.
      expect(answers.map((answer) => answer !== undefined)).toEqual([true, true, false, false, false]);
      const expected = matcher.rankCompanies(sampleNeeds[0]!.id, {}).map(({ id: _id, ...match }) => JSON.stringify(match));
      expect(answers[0]!.map((match) => match.json)).toEqual(expected);
      expect(await replica.rankAsJson('need', sampleNeeds[5]!.id, {})).toBeDefined();
    } finally {
      await replica.close();
    }
  });

  it('shares rankings with the main thread while they wait on the replica, each id staying with the thread that ranked it', async () => {
    // A replica that answers when told to, so the rankings waiting on it are known.
    const held: (() => void)[] = [];
    const replica: MatcherReplica = {
      ready: true,
      failure: undefined,
      put: () => undefined,
      remove: () => undefined,
      rank: async () => undefined,
      rankAsJson: (_kind, id) => new Promise((resolve) => held.push(() => resolve([{ needId: id, companyId: 'c', json: '{}' }]))),
      close: async () => undefined,
    };
    const records = { listen: () => undefined, openReplica: () => replica, readUnread: async () => undefined } as unknown as Records;
    const thread = new RankingThread(records);
    thread.start();
    const answerAll = async (): Promise<void> => {
      for (const answer of held.splice(0)) answer();
      await new Promise((resolve) => setImmediate(resolve));
    };
    // Where the thread put a ranking: the replica is asked at once, within `rank`.
    const place = (id: string): 'replica' | 'main' => {
      const asked = held.length;
      void thread.rank('need', id, {});
      return held.length > asked ? 'replica' : 'main';
    };

    expect(Array.from({ length: SHARE_FROM }, (_, i) => place(`r${i}`))).toEqual(Array(SHARE_FROM).fill('replica'));
    expect(place('m0')).toBe('main');
    await answerAll();

    // With one ranking waiting, each id goes where it went before.
    expect([place('r0'), place('m0'), place('r1')]).toEqual(['replica', 'main', 'replica']);
    await answerAll();

    // An idle replica takes the main thread's ids back.
    expect(place('m0')).toBe('replica');
    await answerAll();

    // With OVERFLOW_AT waiting, the main thread ranks even the replica's ids, without keeping them.
    const ids = Array.from({ length: OVERFLOW_AT + 1 }, (_, i) => `p${i}`);
    for (const id of ids) {
      expect(place(id)).toBe('replica');
      await answerAll();
    }
    expect(ids.slice(0, OVERFLOW_AT).map(place)).toEqual(Array(OVERFLOW_AT).fill('replica'));
    expect(place(ids[OVERFLOW_AT]!)).toBe('main');
    await answerAll();
    expect([place('p0'), place(ids[OVERFLOW_AT]!)]).toEqual(['replica', 'replica']);
    await answerAll();
    expect(thread.stats).toMatchObject({ leftToMain: 3 });
    await thread.close();
  });
});
