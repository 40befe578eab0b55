import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { cliArgs, numberOption } from '../fuzz/cli.js';
import { COORDINATOR_KEY, READER_KEY, startService } from '../fuzz/harness/service.js';

const HELP = `npm run soak [-- --connections N --duration S --warmup S]

Starts the built service on 127.0.0.1 (ephemeral port, fresh DATA_DIR) and keeps N
connections (default 100; SOAK_CONNECTIONS, at most 1000) busy for S seconds (default 60;
SOAK_DURATION, at most 3600) over a mix of routes (health, lists, record reads, rankings,
POST /match, web pages' static assets) with autocannon. Reports req/s, p50/p99 latency,
errors and non-2xx answers, and the server's RSS sampled every second, with its growth after
the warm-up (default 10 s; SOAK_WARMUP). Targets of issue 14: 0 errors, p99 <= 250 ms,
RSS growth after warm-up <= 10 %. Exit code 1 when a target is missed.`;

const values = cliArgs({ connections: { type: 'string' }, duration: { type: 'string' }, warmup: { type: 'string' } });
if (values['help'] === true) {
  console.log(HELP);
  process.exit(0);
}
const connections = Math.min(1000, Math.max(1, Math.round(numberOption(values, 'connections', 'SOAK_CONNECTIONS', 100))));
const duration = Math.min(3600, Math.max(1, numberOption(values, 'duration', 'SOAK_DURATION', 60)));
const warmup = Math.min(duration / 2, numberOption(values, 'warmup', 'SOAK_WARMUP', Math.min(10, duration / 4)));

const reader = { authorization: `Bearer ${READER_KEY}` };
const coordinator = { authorization: `Bearer ${COORDINATOR_KEY}` };
const MIX: autocannon.Request[] = [
  { method: 'GET', path: '/health' },
  { method: 'GET', path: '/needs?limit=20', headers: reader },
  { method: 'GET', path: '/needs/s-n01/matches?limit=10', headers: reader },
  { method: 'GET', path: '/companies/s-c03', headers: coordinator },
  { method: 'GET', path: '/companies?q=vatten&limit=10', headers: reader },
  { method: 'GET', path: '/companies/s-c07/matches?limit=5&explain=false', headers: reader },
  {
    method: 'POST',
    path: '/match',
    headers: { ...reader, 'content-type': 'application/json' },
    body: JSON.stringify({ need: { title: '太阳能微电网', organization: 'Soak', description: '偏远村庄需要太阳能和储能微电网' }, limit: 3 }),
  },
  { method: 'GET', path: '/needs/s-n12/matches?limit=10&minScore=0.2', headers: reader },
  { method: 'GET', path: '/taxonomy' },
  { method: 'GET', path: '/needs/s-n05', headers: reader },
];

const dataDir = mkdtempSync(join(tmpdir(), 'partnermatch-soak-'));
const service = await startService({ dataDir });
const samples: { s: number; rssMiB: number }[] = [];
const started = performance.now();
const sampler = setInterval(() => {
  const memory = service.memory();
  if (memory !== undefined) samples.push({ s: (performance.now() - started) / 1000, rssMiB: memory.rssMiB });
}, 1000);
console.log(`soak: ${connections} connections for ${duration} s against ${service.origin} (pid ${service.pid}), warm-up ${warmup} s`);
let result: autocannon.Result;
try {
  result = await autocannon({ url: service.origin, connections, duration, requests: MIX, timeout: 10 });
} finally {
  clearInterval(sampler);
  await service.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

const afterWarmup = samples.filter((x) => x.s >= warmup);
const base = afterWarmup[0]?.rssMiB ?? NaN;
const last = afterWarmup.at(-1)?.rssMiB ?? NaN;
const peak = Math.max(...samples.map((x) => x.rssMiB));
const growth = ((last - base) / base) * 100;
const errors = result.errors; // autocannon counts timeouts among errors
const statuses = Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => `${code}×${stat.count ?? 0}`).join(' ');
const timeline = samples.filter((_, i) => i % Math.max(1, Math.floor(samples.length / 12)) === 0).map((x) => `${x.s.toFixed(0)}s:${x.rssMiB.toFixed(0)}`).join(' ');
console.log(
  [
    `  requests: ${result.requests.total} in ${result.duration.toFixed(1)} s = ${result.requests.average.toFixed(0)} req/s (${statuses})`,
    `  latency: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
    `  errors: ${result.errors} (timeouts ${result.timeouts}), non-2xx ${result.non2xx}`,
    `  RSS MiB over time: ${timeline}`,
    `  RSS after warm-up: ${base.toFixed(0)} → ${last.toFixed(0)} MiB (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} %), peak ${peak.toFixed(0)} MiB`,
  ].join('\n'),
);
const missed = [
  ...(errors > 0 || result.non2xx > 0 ? [`${errors} errors, ${result.non2xx} non-2xx`] : []),
  ...(result.latency.p99 > 250 ? [`p99 ${result.latency.p99} ms > 250`] : []),
  ...(growth > 10 ? [`RSS grew ${growth.toFixed(1)} % > 10 % after warm-up`] : []),
];
console.log(missed.length === 0 ? '  targets met' : `  targets missed: ${missed.join('; ')}`);
process.exit(missed.length === 0 ? 0 : 1);
