#!/usr/bin/env node
// The `partnermatch` command. This file is committed (not built) so that `npm ci` can link
// the bin before `npm run build` has produced dist/; it only loads the built program.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write(
    'partnermatch: the command is not built yet (packages/cli/dist/main.js is missing).\n' +
      'Run `npm run build` in the repository root first.\n',
  );
  process.exit(1);
}
await import(main.href);
