import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliArgs, numberOption } from '../fuzz/cli.js';
import { send } from '../fuzz/harness/http.js';
import { COORDINATOR_KEY, startService } from '../fuzz/harness/service.js';

const HELP = `npm run soak:import [-- --companies N --interval MS]

Starts the built service on 127.0.0.1 (ephemeral port, fresh DATA_DIR, sample data) and sends
one valid NDJSON import of N companies (default 20000; SOAK_IMPORT_COMPANIES) while another
connection asks GET /health every MS milliseconds (default 25). Reports the import's status and
time and /health's latency (p50, p99, max) while it ran. Target of issue 14: /health <= 200 ms
during the import. Exit code 1 when it is missed or the import is not answered 200.`;

const values = cliArgs({ companies: { type: 'string' }, interval: { type: 'string' } });
if (values['help'] === true) {
  console.log(HELP);
  process.exit(0);
}
const count = Math.max(1, Math.round(numberOption(values, 'companies', 'SOAK_IMPORT_COMPANIES', 20_000)));
const interval = Math.max(1, numberOption(values, 'interval', 'SOAK_IMPORT_INTERVAL', 25));

// Companies with realistic text: the sample's descriptions and offerings, recombined so that
// each record differs (a body of copies would mostly exercise the duplicate check).
const sample = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/sample/companies.json'), 'utf8')) as Record<string, unknown>[];
const lines: string[] = [];
for (let i = 0; i < count; i += 1) {
  const a = sample[i % sample.length]!;
  const b = sample[(i * 7 + 3) % sample.length]!;
  const { orgNumber: _org, contact: _contact, ...base } = a;
  lines.push(
    JSON.stringify({
      ...base,
      id: `soak-import-${i}`,
      name: `Soak ${i} ${String(a['name'])}`,
      description: `${String(a['description'] ?? '')} ${String(b['name'])}, projekt ${i}.`,
    }),
  );
}
const body = lines.join('\n') + '\n';

const dataDir = mkdtempSync(join(tmpdir(), 'partnermatch-soak-import-'));
const service = await startService({ dataDir });
const latencies: number[] = [];
let importing = true;
let status = 0;
let importMs = 0;
let detail = '';
try {
  const prober = (async () => {
    while (importing) {
      const started = performance.now();
      // No answer within the timeout counts as the timeout (the server was blocked all along).
      const status = await send(service, { method: 'GET', path: '/health' }, { timeoutMs: 30_000 }).then(
        (answer) => answer.status,
        () => 0,
      );
      if (status !== 200 && status !== 0) throw new Error(`/health answered ${status}`);
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  })();
  console.log(`soak:import: ${count} companies (${(body.length / 1024 / 1024).toFixed(1)} MB NDJSON) into ${service.origin} (pid ${service.pid}), /health every ${interval} ms`);
  const started = performance.now();
  const answer = await send(
    service,
    { method: 'POST', path: '/import/companies', headers: { authorization: `Bearer ${COORDINATOR_KEY}`, 'content-type': 'application/x-ndjson' }, body },
    { timeoutMs: 600_000 },
  );
  importMs = performance.now() - started;
  status = answer.status;
  detail = answer.text().slice(0, 300);
  importing = false;
  await prober;
  // What the service said on stderr (nothing, normally): errors, or timings a developer added.
  if (service.stderr() !== '') console.log(service.stderr().trimEnd().split('\n').map((line) => `  service: ${line}`).join('\n'));
} finally {
  importing = false;
  await service.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

const sorted = [...latencies].sort((x, y) => x - y);
const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const max = sorted.at(-1) ?? NaN;
console.log(
  [
    `  import: ${status} in ${(importMs / 1000).toFixed(1)} s ${status === 200 ? detail.slice(0, 80) : detail}`,
    `  /health during it: ${sorted.length} answers, p50 ${at(0.5).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms, max ${max.toFixed(0)} ms`,
  ].join('\n'),
);
const missed = [...(status === 200 ? [] : [`import answered ${status}`]), ...(max > 200 ? [`/health took ${max.toFixed(0)} ms > 200`] : [])];
console.log(missed.length === 0 ? '  targets met' : `  targets missed: ${missed.join('; ')}`);
process.exit(missed.length === 0 ? 0 : 1);
