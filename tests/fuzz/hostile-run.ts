import { formatHostile, runHostileImports } from './hostile.js';

/** `npm run hostile -w @partnermatch/tests`: the three 10 MB hostile imports of issue 14, with their figures; exit 1 when one misses its target. */
const results = await runHostileImports();
console.log(formatHostile(results));
process.exit(results.every((r) => r.ok) ? 0 : 1);
