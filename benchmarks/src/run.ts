/**
 * The benchmark runner: `npm run bench [-- --quick --sizes 1000,10k --engines a,b
 * --no-quality --no-service --no-alerts --out FILE]`. Generates each corpus once, runs every suite for
 * every engine on it in this one process, prints the tables and writes results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { detectLanguage } from '@partnermatch/core';
import { DEFAULT_SEED, generateCompanies, generateNeeds } from './corpus.js';
import { labelledSets } from './datasets.js';
import { ENGINES, type Engine } from './engines/index.js';
import { canMeasureMemory, collect, type ResultRow } from './measure.js';
import { paths } from './paths.js';
import { machine, qualityTable, ratios, serviceTable, speedTable, startupTable, SUBJECT, targets, targetTable } from './report.js';
import { settingsFor, type Corpus, type Settings } from './settings.js';
import { alertsTable, runAlerts, type AlertsResult } from './suites/alerts.js';
import { runBatch, runBatchInWorkers } from './suites/batch.js';
import { runBuild, runParallelBuild } from './suites/build.js';
import { duplicatesTable, runDuplicates } from './suites/duplicates.js';
import { reportTable, runReport } from './suites/report.js';
import { runIncremental } from './suites/incremental.js';
import { lexiconTable, lexiconTargets } from './suites/lexicon.js';
import { runQuality, type QualityRow } from './suites/quality.js';
import { pairedTable, pairedTargets, runPaired, type PairedResult } from './suites/paired.js';
import { runSearch } from './suites/search.js';
import { runService, type ServiceResult } from './suites/service.js';
import { runSchedule, scheduleTable, type ScheduleResult } from './suites/schedule.js';
import { runStartup, type StartupResult } from './suites/startup.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    engines: { type: 'string' },
    'no-quality': { type: 'boolean', default: false },
    'no-service': { type: 'boolean', default: false },
    'no-schedule': { type: 'boolean', default: false },
    /** Only the meeting-programme suite (issue 11), written to results/schedule.json. */
    'only-schedule': { type: 'boolean', default: false },
    'no-alerts': { type: 'boolean', default: false },
    /** Only the service suites (requests, start-up) at --sizes: no build, search or quality. */
    'service-only': { type: 'boolean', default: false },
    /** Leave out the requests suite (the start-up suite still runs unless --no-service). */
    'no-requests': { type: 'boolean', default: false },
    out: { type: 'string', default: join(paths.results, 'latest.json') },
  },
});

/** `1000,10k,100_000` → [1000, 10000, 100000]. */
function parseSizes(text: string): number[] {
  return text.split(',').map((item) => {
    const size = Number(item.trim().replace(/_/g, '').replace(/k$/i, '000'));
    if (!Number.isInteger(size) || size < 1) throw new Error(`--sizes: ${JSON.stringify(item)} is not a number of companies`);
    return size;
  });
}

const base = settingsFor(values.quick);
const settings: Settings = values.sizes === undefined ? base : { ...base, sizes: parseSizes(values.sizes) };
const wanted = values.engines?.split(',').map((name) => name.trim().toLowerCase());
const engines = ENGINES.filter((engine) => wanted === undefined || engine.role === 'subject' || wanted.some((name) => engine.name.toLowerCase().includes(name)));
const started = performance.now();
const log = (line: string) => console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

if (!canMeasureMemory) log('warning: run node with --expose-gc to measure memory (npm run bench does)');

if (values['only-schedule']) {
  log('schedule: meeting programmes from 20 to 300 companies');
  const result = await runSchedule(settings.quick, (line) => log(line));
  mkdirSync(paths.results, { recursive: true });
  const out = join(paths.results, 'schedule.json');
  writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), machine: machine(), mode: settings.quick ? 'quick' : 'full', schedule: result }, null, 2)}\n`);
  console.log(`### Meeting programmes (issue 11)\n\n${scheduleTable(result)}\n\nWritten to ${out}.`);
  process.exit(0);
}

function corpusOf(size: number, seed = DEFAULT_SEED): Corpus {
  const fresh = 2 * (Math.max(settings.incremental.maxSamples, settings.incremental.minSamples) + 40);
  const needs = generateNeeds(settings.needs, seed);
  const latinNeeds = needs.filter((need) => detectLanguage(`${need.title}\n${need.description}`) !== 'zh');
  return { size, seed, companies: generateCompanies(size, seed), needs, latinNeeds, fresh: generateCompanies(fresh, seed, size) };
}

async function speed(engine: Engine, corpus: Corpus): Promise<ResultRow[]> {
  const built = await runBuild(engine, corpus);
  log(`  ${engine.name}: built in ${(built.row.buildMs! / 1000).toFixed(2)} s, ${built.row.memoryMB?.toFixed(1) ?? '?'} MB`);
  const rows: ResultRow[] = [built.row];
  if (engine.role === 'subject') {
    const parallel = await runParallelBuild(corpus);
    rows.push(parallel);
    log(`  ${parallel.engine}: built in ${(parallel.buildMs! / 1000).toFixed(2)} s`);
  }
  try {
    const search = await runSearch(engine, built.index, corpus, settings);
    rows.push(...search);
    const all = search[0]!;
    const mean = 1000 / all.opsPerSec!;
    log(`  ${engine.name}: search p50 ${all.p50Ms!.toFixed(2)} ms, p99 ${all.p99Ms!.toFixed(2)} ms (${all.samples} samples)`);
    const batch = runBatch(engine, built.index, corpus, settings, mean);
    rows.push(batch);
    log(`  ${engine.name}: batch ${batch.wallMs === undefined ? batch.note : `${(batch.wallMs / 1000).toFixed(2)} s`}`);
    if (engine.role === 'subject') {
      const workers = await runBatchInWorkers(engine, corpus, settings, mean);
      rows.push(workers);
      log(`  ${workers.engine}: batch ${workers.wallMs === undefined ? workers.note : `${(workers.wallMs / 1000).toFixed(2)} s`}`);
    }
    rows.push(...(await runIncremental(engine, built.index, corpus, settings)));
  } finally {
    await built.index.close?.();
  }
  return rows;
}

const rows: ResultRow[] = [];
const paired: PairedResult[] = [];
for (const size of values['service-only'] ? [] : settings.sizes) {
  const t = performance.now();
  const corpus = corpusOf(size);
  log(`corpus: ${size.toLocaleString('en-US')} companies, ${corpus.needs.length} needs, generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  for (const engine of engines) {
    rows.push(...(await speed(engine, corpus)));
    await collect();
  }
  const side = runPaired(corpus, settings.pairedPasses);
  paired.push(side);
  log(`  paired: partnermatch / BM25 ×${side.vsBm25.explain.toFixed(2)} (sv/en), lexicon on / off ×${side.lexicon.explain.toFixed(2)}`);
  await collect();
}

const quality: QualityRow[] = [];
const skipped: string[] = [];
if (!values['no-quality'] && !values['service-only']) {
  const { sets, missing } = labelledSets(settings.scifactSplits);
  for (const name of missing) skipped.push(`quality on ${name}: data set not found`);
  if (settings.scifactSplits.length === 0) skipped.push('quality on SciFact: left out of --quick');
  for (const set of sets) {
    for (const engine of engines) quality.push(await runQuality(engine, set));
    log(`quality: ${set.name} done`);
  }
}

let schedule: ScheduleResult | undefined;
if (!values['no-schedule']) {
  log('schedule: meeting programmes from 20 to 300 companies');
  schedule = await runSchedule(settings.quick, (line) => log(line));
} else skipped.push('meeting programmes: left out (--no-schedule)');

let service: ServiceResult = { ran: false, reason: 'left out (--no-service)' };
if (!values['no-service'] && !values['no-requests']) {
  log('service: starting services/api over 10k companies');
  try {
    service = await runService(corpusOf(10_000), settings);
  } catch (error) {
    service = { ran: false, reason: `the service run failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  log(`service: ${service.ran ? 'done' : service.reason}`);
}

log('duplicates: import of 10k companies with and without the duplicate check');
const duplicates = [await runDuplicates(corpusOf(10_000))];
log('report: 10k companies, 1k needs, 50k stage changes');
const programmeReport = await runReport(corpusOf(10_000));
let alerts: AlertsResult = { ran: false, reason: 'left out (--no-alerts)' };
if (!values['no-alerts']) {
  log('alerts: 1,000 subscriptions, new needs matched and enqueued at 10k companies');
  alerts = await runAlerts();
  log(`alerts: ${alerts.ran ? `match + enqueue p95 ${alerts.matchAndEnqueue!.p95Ms.toFixed(1)} ms` : alerts.reason}`);
}

let startup: StartupResult = { ran: false, reason: 'left out (--no-service)' };
if (!values['no-service']) {
  const size = Math.max(...settings.sizes);
  log(`service start: seeding services/api with ${size.toLocaleString('en-US')} companies, then starting it from its snapshot`);
  try {
    startup = await runStartup(corpusOf(size));
  } catch (error) {
    startup = { ran: false, reason: `the start-up run failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  log(`service start: ${startup.ran ? startup.rows.map((row) => `${row.start} ${(row.firstAnswerMs / 1000).toFixed(2)} s`).join(', ') : startup.reason}`);
}

const checks = [...targets(rows, quality, service, startup, paired), ...pairedTargets(paired), ...lexiconTargets(rows, paired)];
if (alerts.ran && alerts.matchAndEnqueue !== undefined) {
  // Issue 12: the slowest new need still matched and enqueued within 200 ms.
  checks.push({
    target: '1,000 subscriptions, one new need: match + enqueue ≤ 200 ms at 10k companies (max)',
    measured: `${alerts.matchAndEnqueue.maxMs.toFixed(1)} ms`,
    met: alerts.matchAndEnqueue.maxMs <= 200,
  });
}
const report = {
  date: new Date().toISOString(),
  machine: machine(),
  mode: settings.quick ? 'quick' : 'full',
  corpus: { seed: DEFAULT_SEED, sizes: settings.sizes, needs: settings.needs, generator: 'benchmarks/src/corpus.ts' },
  engines: engines.map(({ name, setup, role }) => ({ name, setup, role })),
  results: rows,
  paired,
  ratios: ratios(rows),
  quality,
  service,
  schedule: schedule ?? null,
  duplicates,
  report: programmeReport,
  alerts,
  startup,
  targets: checks,
  skipped,
  durationSec: Math.round((performance.now() - started) / 1000),
};
mkdirSync(paths.results, { recursive: true });
writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);

const m = report.machine;
const out: string[] = [
  `partnermatch benchmarks (${report.mode}), ${report.date.slice(0, 10)}: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, ${m.os}, Node ${m.node}, commit ${m.commit}, load ${m.load.start} → ${m.load.end}`,
  '',
];
for (const size of values['service-only'] ? [] : settings.sizes) out.push(`### ${size.toLocaleString('en-US')} companies, 1,000 needs`, '', speedTable(rows, size), '');
if (paired.length > 0) out.push('### Paired latency: the engines side by side, same needs (issues 10 and 15)', '', pairedTable(paired), '');
out.push('### What the lexicon costs (issue 10): partnermatch with and without it', '', lexiconTable(rows, paired), '');
if (quality.length > 0) out.push('### Match quality', '', qualityTable(quality), '');
out.push('### Service', '', serviceTable(service), '');
if (schedule !== undefined) out.push('### Meeting programmes (issue 11)', '', scheduleTable(schedule), '');
out.push('### Duplicate check on import (issue 13)', '', duplicatesTable(duplicates), '');
out.push('### Programme report (issue 13)', '', reportTable(programmeReport), '');
out.push('### Alerts (issue 12)', '', alertsTable(alerts), '');
out.push('### Service', '', serviceTable(service), '', startupTable(startup), '');
if (checks.length > 0) out.push(`### Targets`, '', targetTable(checks), '');
for (const line of skipped) out.push(`- ${line}`);
out.push('', `${SUBJECT}/peer: below ×1 partnermatch is faster or smaller. Written to ${values.out} in ${report.durationSec} s.`);
console.log(out.join('\n'));
