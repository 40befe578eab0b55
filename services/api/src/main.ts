#!/usr/bin/env node
import { loadConfig, startServer } from './index.js';

try {
  const server = await startServer(loadConfig(process.env));
  const stop = (signal: NodeJS.Signals): void => {
    console.log(`${signal}: finishing in-flight requests, then closing the database`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // SIGHUP: read the keys file again (a change to it is also noticed by itself).
  process.on('SIGHUP', () => server.reloadKeys());
} catch (error) {
  console.error(`partnermatch API could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
