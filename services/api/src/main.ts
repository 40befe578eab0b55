#!/usr/bin/env node
import { join } from 'node:path';
// The library's preload entry alone (node built-ins and the snapshot format): the index
// snapshot is read, checked and decoded on a worker thread while the library and the app
// load, about a third of a start at 100k companies.
import { preloadSnapshot } from '@partnermatch/core/preload';
import { dataDirOf, SNAPSHOT_FILE } from './data-dir.js';

const snapshotPreload = preloadSnapshot(join(dataDirOf(process.env), SNAPSHOT_FILE));

try {
  const { loadConfig } = await import('./config.js');
  const config = loadConfig(process.env);
  // Not the package's entry (index.js): that also loads the report's charting library, which the
  // service loads when a report is first drawn.
  const { startServer } = await import('./server.js');
  const { DigestMailer, WebhookWorker } = await import('./alerts/index.js');
  const server = await startServer(config, { snapshotPreload });
  // Alerts: the webhook outbox worker (it first re-queues deliveries a crash left in flight) and the daily digest.
  const db = server.catalog.records.store.db;
  const worker = new WebhookWorker(db);
  worker.start();
  const digests = new DigestMailer(db, { companyName: (id) => (server.catalog.records.has('company', id) ? server.catalog.records.get('company', id).name : undefined) });
  const stopDigests = digests.startDaily({ onRun: (run) => (run instanceof Error ? console.error(`digest: ${run.message}`) : undefined) });
  const stop = (signal: NodeJS.Signals): void => {
    console.log(`${signal}: finishing in-flight requests, then closing the database`);
    stopDigests();
    digests.close();
    worker
      .stop()
      .then(() => server.close())
      .then(
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
