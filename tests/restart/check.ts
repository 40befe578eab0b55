import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { send } from '../fuzz/harness/http.js';
import { COORDINATOR_KEY, startService, type Service } from '../fuzz/harness/service.js';
import { sampleDir } from '../fuzz/paths.js';

export interface RestartCheckSettings {
  /** Synthetic companies seeded (the sample's sentences recombined). */
  readonly companies: number;
  /** Needs ranked (the sample's, in turn); a quarter as many companies are ranked too. */
  readonly queries: number;
  /** Seed of the synthetic companies. */
  readonly seed: number;
}

export interface RestartCheckResult {
  /** One line per step: times, RSS, what the service said of its index, rankings compared. */
  readonly report: readonly string[];
  /** What a restart lost or changed; empty when everything was kept. */
  readonly problems: readonly string[];
}

type Row = Record<string, unknown>;
const sampleCompanies = JSON.parse(readFileSync(join(sampleDir, 'companies.json'), 'utf8')) as Row[];
const sampleNeeds = JSON.parse(readFileSync(join(sampleDir, 'needs.json'), 'utf8')) as Row[];

/** mulberry32: the same companies for the same seed. */
function random(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Sentences of the sample's descriptions (Swedish, English and Chinese), recombined: each company
// differs, as a register does, and the text pipeline meets every language.

/**
 * Seeds a fresh DATA_DIR, ranks, writes, kills -9, restarts (the snapshot loaded and caught
 * up), writes again, stops, damages the snapshot and restarts (the index built from the
 * database): every ranking must come back byte-identical and every acknowledged write be kept.
 */
export async function restartCheck({ companies: companyCount, queries: queryCount, seed }: RestartCheckSettings): Promise<RestartCheckResult> {
  const sentences = sampleCompanies.flatMap((c) => String(c['description'] ?? '').split(/(?<=[.!?。！？])\s*/u).filter((s) => s.trim() !== ''));
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const companies: Row[] = [];
  for (let i = 0; i < companyCount; i += 1) {
    const base = pick(sampleCompanies);
    const { orgNumber: _org, contact: _contact, website: _site, ...rest } = base;
    companies.push({
      ...rest,
      id: `rs-${String(i).padStart(6, '0')}`,
      name: `${String(base['name']).replace(/\s+AB$/, '')} ${i} AB`,
      description: [pick(sentences), pick(sentences), pick(sentences)].join(' '),
      offerings: [pick(sentences).slice(0, 80), pick(sentences).slice(0, 80)],
    });
  }
  // Without deadlines: a need past its deadline gets no matches, and this check wants rankings.
  const needs = sampleNeeds.map(({ deadline: _deadline, ...need }) => need);

  const seedDir = mkdtempSync(join(tmpdir(), 'partnermatch-restart-seed-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'partnermatch-restart-'));
  writeFileSync(join(seedDir, 'companies.json'), JSON.stringify(companies));
  writeFileSync(join(seedDir, 'needs.json'), JSON.stringify(needs));

  const coordinator = { authorization: `Bearer ${COORDINATOR_KEY}`, 'content-type': 'application/json' };
  const problems: string[] = [];
  const report: string[] = [];

  async function call(service: Service, method: string, path: string, body?: unknown, contentType = 'application/json') {
    const answer = await send(
      service,
      { method, path, headers: { ...coordinator, 'content-type': contentType }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) },
      { timeoutMs: 120_000 },
    );
    return { status: answer.status, text: answer.text() };
  }

  const needIds = Array.from({ length: queryCount }, (_, i) => String(needs[i % needs.length]!['id']));
  const companyIds = Array.from({ length: Math.ceil(queryCount / 4) }, (_, i) => String(companies[Math.floor((i * companies.length) / Math.ceil(queryCount / 4))]!['id']));
  const rankingPaths = [
    ...[...new Set(needIds)].map((id) => `/needs/${id}/matches?limit=20`),
    ...companyIds.map((id) => `/companies/${id}/matches?limit=20`),
  ];

  /** Every ranking asked, in order, as the service wrote it. */
  async function rankings(service: Service): Promise<string[]> {
    const texts: string[] = [];
    for (const path of rankingPaths) {
      const answer = await call(service, 'GET', path);
      if (answer.status !== 200) problems.push(`GET ${path} answered ${answer.status}: ${answer.text.slice(0, 200)}`);
      texts.push(answer.text);
    }
    return texts;
  }

  function compare(label: string, expected: readonly string[], found: readonly string[]): void {
    const differing = expected.flatMap((text, i) => (text === found[i] ? [] : [rankingPaths[i]!]));
    report.push(`  ${label}: ${expected.length - differing.length} of ${expected.length} rankings byte-identical`);
    if (differing.length > 0) problems.push(`${label}: ${differing.length} ranking(s) differ, first ${differing[0]}`);
  }

  async function total(service: Service, kind: 'companies' | 'needs'): Promise<number> {
    return (JSON.parse((await call(service, 'GET', `/${kind}?limit=1`)).text) as { total: number }).total;
  }

  /** A start timed to listening (the harness waits for /health too) and to its first ranking. */
  async function timedStart(label: string, expectIndex: RegExp, withSeed = false): Promise<Service> {
    const began = performance.now();
    // The snapshot only after the seed and at shutdown (no timed save): the kill below must find
    // it behind the writes, however long the rankings between them take.
    const env = { PARTNERMATCH_SNAPSHOT_DELAY: '0' };
    const service = await startService({ dataDir, env, readyTimeoutMs: 600_000, ...(withSeed ? { seedDir } : {}) });
    const ready = performance.now() - began;
    const first = await call(service, 'GET', rankingPaths[0]!);
    const answered = performance.now() - began;
    const index = /index: .*/.exec(service.stdout())?.[0] ?? '(no index line)';
    report.push(`  ${label}: /health ${(ready / 1000).toFixed(2)} s, first ranking ${(answered / 1000).toFixed(2)} s (${first.status}); ${index}; RSS ${service.memory()?.rssMiB.toFixed(0) ?? '?'} MiB`);
    if (!expectIndex.test(index)) problems.push(`${label}: expected the index to be ${String(expectIndex)}, the service said "${index}"`);
    return service;
  }

  const patched = companies[7]!;
  let service: Service | undefined;
  try {
    report.push(`restart-check: ${companyCount} companies, ${needs.length} needs, ${rankingPaths.length} rankings compared`);
    service = await timedStart('first start (seed, build, snapshot)', /built/, true);
    // The seeded snapshot is written right after the seed; wait for it, so the kill below finds it.
    for (let i = 0; i < 600 && !statSafe(join(dataDir, 'index.snapshot')); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    if (!statSafe(join(dataDir, 'index.snapshot'))) problems.push('no index snapshot after the first start');
    const seeded = await rankings(service);

    let began = performance.now();
    const created = await call(service, 'POST', '/companies', { ...companies[5]!, id: 'rs-new-1', name: 'Nyföretaget i Karlskrona AB' });
    report.push(`  first company write after the first start: ${created.status} in ${((performance.now() - began) / 1000).toFixed(2)} s`);
    const patch = await call(service, 'PATCH', `/companies/${String(patched['id'])}`, { description: 'Vi bygger solcellsparker och batterilager. 我们在昆明建设光伏电站和储能系统。' }, 'application/merge-patch+json');
    const removed = await call(service, 'DELETE', `/companies/${String(companies[11]!['id'])}`);
    for (const [what, answer, want] of [['create', created, 201], ['patch', patch, 200], ['delete', removed, 204]] as const) {
      if (answer.status !== want) problems.push(`${what} answered ${answer.status}: ${answer.text.slice(0, 200)}`);
    }
    const written = await rankings(service);
    if (written.every((text, i) => text === seeded[i])) report.push('  (the writes changed no ranking compared)');
    // The new and the patched company's own rankings: they exist as written only if the writes do.
    const writtenPaths = ['/companies/rs-new-1/matches?limit=20', `/companies/${String(patched['id'])}/matches?limit=20`];
    const writtenRankings = await Promise.all(writtenPaths.map(async (path) => (await call(service!, 'GET', path)).text));
    const counts = { companies: await total(service, 'companies'), needs: await total(service, 'needs') };
    await service.kill9();

    service = await timedStart('restart after kill -9', /loaded from the snapshot and caught up/);
    compare('after kill -9', written, await rankings(service));
    for (const kind of ['companies', 'needs'] as const) {
      const now = await total(service, kind);
      if (now !== counts[kind]) problems.push(`after kill -9: ${now} ${kind}, ${counts[kind]} before`);
    }
    const patchedNow = JSON.parse((await call(service, 'GET', `/companies/${String(patched['id'])}`)).text) as { description?: string };
    if (!String(patchedNow.description).startsWith('Vi bygger solcellsparker')) problems.push('after kill -9: the acknowledged patch is lost');
    if ((await call(service, 'GET', '/companies/rs-new-1')).status !== 200) problems.push('after kill -9: the acknowledged create is lost');
    if ((await call(service, 'GET', `/companies/${String(companies[11]!['id'])}`)).status !== 404) problems.push('after kill -9: the acknowledged delete is lost');
    for (const [i, path] of writtenPaths.entries()) {
      if ((await call(service, 'GET', path)).text !== writtenRankings[i]) problems.push(`after kill -9: ${path} differs from before the kill`);
    }

    began = performance.now();
    const again = await call(service, 'POST', '/companies', { ...companies[6]!, id: 'rs-new-2', name: 'Andra nyföretaget AB' });
    report.push(`  first company write after that restart: ${again.status} in ${((performance.now() - began) / 1000).toFixed(2)} s; RSS then ${service.memory()?.rssMiB.toFixed(0) ?? '?'} MiB`);
    if (again.status !== 201) problems.push(`create after restart answered ${again.status}`);
    const beforeDamage = await rankings(service);
    await service.stop();

    // A flipped byte in the middle of the snapshot: its checksum must refuse it.
    const file = join(dataDir, 'index.snapshot');
    const bytes = readFileSync(file);
    const middle = bytes.length >> 1;
    bytes[middle] = bytes[middle]! ^ 0xff;
    writeFileSync(file, bytes);
    service = await timedStart('restart with a damaged snapshot', /built/);
    compare('after a damaged snapshot', beforeDamage, await rankings(service));
    if ((await call(service, 'GET', '/companies/rs-new-2')).status !== 200) problems.push('after a damaged snapshot: rs-new-2 is lost');
    await service.stop();
    service = undefined;
  } finally {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(seedDir, { recursive: true, force: true });
  }
  return { report, problems };
}

function statSafe(path: string): boolean {
  try {
    return statSync(path).size > 0;
  } catch {
    return false;
  }
}
