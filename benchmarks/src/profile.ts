/**
 * CPU profile of partnermatch's single-need path: `npm run profile [-- --size 100000]
 * [-- --seconds 20] [-- --no-explain]`. Builds the matcher over the seeded corpus, warms
 * it up, then records V8's sampling CPU profiler (the one `node --cpu-prof` starts, here
 * started after the build so that only ranking is sampled) while ranking the needs in
 * turn. Writes results/search-SIZE.cpuprofile (open it in Chrome DevTools or speedscope)
 * and prints the functions with the most self time and the most inclusive time.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createMatcher } from '@partnermatch/core';
import { generateCompanies, generateNeeds } from './corpus.js';
import { paths } from './paths.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '20' },
    'no-explain': { type: 'boolean', default: false },
    top: { type: 'string', default: '20' },
  },
});
const size = Number(values.size);
const explain = !values['no-explain'];

const companies = generateCompanies(size);
const needs = generateNeeds(1_000);
let t = performance.now();
const matcher = createMatcher({ companies });
console.log(`built ${size.toLocaleString('en-US')} companies in ${((performance.now() - t) / 1000).toFixed(1)} s`);
for (const need of needs.slice(0, 50)) matcher.rankCompanies(need, { limit: 10, explain });

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
t = performance.now();
let ranked = 0;
while (performance.now() - t < Number(values.seconds) * 1000) {
  matcher.rankCompanies(needs[ranked % needs.length]!, { limit: 10, explain });
  ranked += 1;
}
const elapsed = performance.now() - t;
const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
session.disconnect();

mkdirSync(paths.results, { recursive: true });
const file = join(paths.results, `search-${size}.cpuprofile`);
writeFileSync(file, JSON.stringify(profile));

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const key = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url === '' ? '' : ` ${url.replace(/^.*\/(packages|node_modules)\//, '$1/').replace(/^file:\/\//, '')}:${lineNumber + 1}`;
  return `${functionName || '(anonymous)'}${where}`;
};
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  const node = byId.get(id)!;
  self.set(key(node), (self.get(key(node)) ?? 0) + dt);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const k = key(byId.get(at)!);
    if (!seen.has(k)) inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    seen.add(k);
  }
});
const top = (map: Map<string, number>) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(values.top))
    .map(([name, us]) => `${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000 / ranked).toFixed(3).padStart(8)} ms/need  ${name}`)
    .join('\n');
console.log(`${ranked} needs in ${(elapsed / 1000).toFixed(1)} s: ${(elapsed / ranked).toFixed(2)} ms per need (explain: ${explain}); profile in ${file}`);
console.log(`\nself time\n${top(self)}`);
console.log(`\ninclusive time\n${top(inclusive)}`);
