import { workerData } from 'node:worker_threads';
import type { PreloadSetup } from './preload.js';

// The thread of `preloadSnapshot`: reads, checks and decodes the snapshot into shared
// memory, posts the result and wakes the waiting thread, whatever happens.
const { path, port, signal } = workerData as PreloadSetup;
try {
  const { preload } = await import('./preload.js');
  port.postMessage(preload(path, (byteLength) => new SharedArrayBuffer(byteLength)));
} catch (error) {
  port.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
} finally {
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
  port.close();
}
