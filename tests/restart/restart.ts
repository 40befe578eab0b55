import { cliArgs, numberOption } from '../fuzz/cli.js';
import { restartCheck } from './check.js';

const HELP = `npm run restart-check [-- --companies N --queries Q --seed S]

What a restart must keep, at scale, on the built service (127.0.0.1, ephemeral port, a fresh
DATA_DIR seeded with N synthetic companies, default 100000 (RESTART_COMPANIES), made of the
sample's sentences, and the sample's needs):
  1. first start: seed, build, save the index snapshot; Q needs (default 40; RESTART_QUERIES) and
     Q/4 companies ranked (top 20 with explanations), then a create, a patch and a delete;
  2. kill -9 at once, before the snapshot follows those writes; restart: the snapshot must be
     loaded and caught up, every record there, every ranking byte-identical to before the kill;
  3. a company created after that restart (its first company write);
  4. SIGTERM; one byte of the snapshot flipped; restart: the snapshot must be refused and the
     index built from the database, rankings byte-identical again (with the third write).
Reports each start's time to listening and to its first ranking, the first write after a
restart, and the RSS. Exit code 1 when a ranking differs, a record is lost, or a start loads
or refuses the snapshot when it should not.`;

const values = cliArgs({ companies: { type: 'string' }, queries: { type: 'string' }, seed: { type: 'string' } });
if (values['help'] === true) {
  console.log(HELP);
  process.exit(0);
}
const companyCount = Math.max(10, Math.round(numberOption(values, 'companies', 'RESTART_COMPANIES', 100_000)));
const queryCount = Math.max(4, Math.round(numberOption(values, 'queries', 'RESTART_QUERIES', 40)));
const seed = Math.round(numberOption(values, 'seed', 'RESTART_SEED', 1));

const { report, problems } = await restartCheck({ companies: companyCount, queries: queryCount, seed });
console.log(report.join('\n'));
console.log(problems.length === 0 ? '  all kept' : `  problems:\n${problems.map((p) => `    ${p}`).join('\n')}`);
process.exit(problems.length === 0 ? 0 : 1);
