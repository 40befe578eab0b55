#!/usr/bin/env node
import { DigestMailer, WebhookWorker } from './alerts/index.js';
// The modules the service runs on, not the package's whole public face (index.js also
// exports the report charts, whose plotting and DOM libraries a start does not need).
import { loadConfig } from './config.js';
import { startServer } from './server.js';

try {
  const server = await startServer(loadConfig(process.env));
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
