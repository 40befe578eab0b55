/**
 * Benchmark of the alert target: 1,000 subscriptions, one new need, matching and enqueueing
 * within 200 ms at 10k companies. Run after a build:
 *   npm run build -w @partnermatch/api && node services/api/dist/alerts/bench-matching.js [companies] [subscriptions]
 * Companies are the sample's, repeated with fresh ids and mixed descriptions; subscriptions a
 * seeded mix of company (70 %), sector (20 %) and company+sector (10 %) ones; each measured
 * need is a sample need under a new id, added to the matcher first (as the service does) and
 * then matched and enqueued in one transaction on a real SQLite file (WAL, synchronous=FULL).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMatcher, taxonomy, type Company, type PartnerNeed } from '@partnermatch/core';
import { matchNeed, SubscriptionIndex } from './matching.js';
import { enqueueAlerts } from './outbox.js';
import { SubscriptionStore } from './store.js';

const companyCount = Number(process.argv[2] ?? 10_000);
const subscriptionCount = Number(process.argv[3] ?? 1_000);
const sample = new URL('../../../../fixtures/sample/', import.meta.url);
const baseCompanies = JSON.parse(readFileSync(new URL('companies.json', sample), 'utf8')) as Company[];
const baseNeeds = (JSON.parse(readFileSync(new URL('needs.json', sample), 'utf8')) as PartnerNeed[]).filter((n) => n.status !== 'closed');

let state = 20_261_202;
const random = (): number => {
  state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
  return state / 2 ** 32;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const companies: Company[] = Array.from({ length: companyCount }, (_, i) => {
  const base = baseCompanies[i % baseCompanies.length]!;
  const other = baseCompanies[(i * 7 + 3) % baseCompanies.length]!;
  const { contact: _contact, orgNumber: _org, ...rest } = base;
  return { ...rest, id: `b-c${i}`, name: `${base.name} ${i}`, description: `${base.description} ${other.offerings?.join(', ') ?? ''}` };
});

async function main(): Promise<void> {
  let t = performance.now();
  const matcher = createMatcher({ companies, needs: [] });
  console.log(`matcher over ${companyCount} companies built in ${(performance.now() - t).toFixed(0)} ms`);

  const dir = mkdtempSync(join(tmpdir(), 'pm-alerts-bench-'));
  const db = new Database(join(dir, 'bench.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const store = new SubscriptionStore(db, { allowPrivate: true });
  const roots = taxonomy.tags.filter((tag) => tag.parent === undefined).map((tag) => tag.id);
  const leaves = taxonomy.tags.filter((tag) => tag.parent !== undefined).map((tag) => tag.id);
  const owner = { name: 'bench', role: 'coordinator' };
  const context = { companyExists: () => true };
  for (let i = 0; i < subscriptionCount; i += 1) {
    const kind = random();
    const companyId = pick(companies).id;
    const sectors = [random() < 0.5 ? pick(roots) : pick(leaves)];
    const input =
      kind < 0.7
        ? { companyId, minScore: pick([0.5, 0.6, 0.7, 0.8]) }
        : kind < 0.9
          ? { sectors }
          : { companyId, sectors, minScore: pick([0.5, 0.7]) };
    await store.create({ url: `http://127.0.0.1:9/hook/${i}`, secret: 'benchmark-secret-0001', ...input }, owner, context);
  }
  const index = new SubscriptionIndex(store.active());

  const runs: { add: number; match: number; enqueue: number; fired: number }[] = [];
  const rounds = 3;
  for (let round = 0; round < rounds; round += 1) {
    for (const [k, base] of baseNeeds.entries()) {
      const need: PartnerNeed = { ...base, id: `b-n${round}-${k}`, deadline: '2099-12-31' };
      t = performance.now();
      matcher.add('need', need);
      const added = performance.now();
      const fired = matchNeed(need, 'created', matcher, index);
      const matched = performance.now();
      db.transaction(() => enqueueAlerts(db, need, fired))();
      const enqueued = performance.now();
      runs.push({ add: added - t, match: matched - added, enqueue: enqueued - matched, fired: fired.length });
    }
  }
  const measured = runs.slice(baseNeeds.length); // the first round warms the JIT and the statement cache
  const quantile = (values: number[], q: number): number => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  };
  const total = measured.map((r) => r.match + r.enqueue);
  const fmt = (v: number): string => v.toFixed(1).padStart(7);
  console.log(`${subscriptionCount} subscriptions (${index.byCompany.size} subscribed companies, ${index.sectorOnly.length} sector-only), ${measured.length} new needs`);
  console.log('                     median     p95     max   (ms)');
  console.log(`add need to matcher ${fmt(quantile(measured.map((r) => r.add), 0.5))} ${fmt(quantile(measured.map((r) => r.add), 0.95))} ${fmt(Math.max(...measured.map((r) => r.add)))}`);
  console.log(`match               ${fmt(quantile(measured.map((r) => r.match), 0.5))} ${fmt(quantile(measured.map((r) => r.match), 0.95))} ${fmt(Math.max(...measured.map((r) => r.match)))}`);
  console.log(`enqueue (1 tx)      ${fmt(quantile(measured.map((r) => r.enqueue), 0.5))} ${fmt(quantile(measured.map((r) => r.enqueue), 0.95))} ${fmt(Math.max(...measured.map((r) => r.enqueue)))}`);
  console.log(`match + enqueue     ${fmt(quantile(total, 0.5))} ${fmt(quantile(total, 0.95))} ${fmt(Math.max(...total))}   target ≤ 200`);
  console.log(`alerts per need: median ${quantile(measured.map((r) => r.fired), 0.5)}, max ${Math.max(...measured.map((r) => r.fired))}`);
  db.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
