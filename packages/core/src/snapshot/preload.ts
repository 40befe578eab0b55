import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { SnapshotRejectedError, type SnapshotRejection } from './format.js';
import { decodeSnapshotPostings, type DecodedPostings } from './sections.js';

// Reading a snapshot of 100k companies (~38 MB), checking its SHA-256 and decoding its ~11M
// postings make no object: a worker thread does them while the service loads its modules
// and opens its database, and the restore then only makes the index's objects. The memory
// is shared, not copied: the index keeps the decoded arrays.

const WORKER_SCRIPT = new URL('./preload-worker.js', import.meta.url);
/** How long `wait()` waits for the preload thread before reading the file on its own thread. */
const PATIENCE_MS = 60_000;

/**
 * A snapshot file read, its checksum checked and its postings decoded, for one
 * `restoreMatcher` or `restoreMatcherById` in place of the file's bytes. The restore takes
 * it over (the index keeps the decoded arrays), so nothing else holds the file after it.
 */
export class PreloadedSnapshot {
  #content: { readonly bytes: Uint8Array; readonly decoded: readonly DecodedPostings[] } | undefined;

  constructor(bytes: Uint8Array, decoded: readonly DecodedPostings[]) {
    this.#content = { bytes, decoded };
  }

  /** Whether it was read into memory shared with another thread (the preload thread). */
  get shared(): boolean {
    return this.#content?.bytes.buffer instanceof SharedArrayBuffer;
  }

  /** The file and each side's decoded postings, handed over once. */
  take(): { readonly bytes: Uint8Array; readonly decoded: readonly DecodedPostings[] } {
    const content = this.#content;
    if (content === undefined) throw new TypeError('a preloaded snapshot restores one matcher; preload the file again for another');
    this.#content = undefined;
    return content;
  }
}

/** A snapshot file being preloaded on a worker thread (`preloadSnapshot`). */
export interface SnapshotPreload {
  /**
   * The preloaded snapshot, waiting for the thread if it is not done. Throws what reading
   * it met: a file system error (`code` ENOENT when there is no file) or a
   * `SnapshotRejectedError` (torn, checksum, format). Whether the snapshot fits the records
   * is for the restore to say.
   */
  wait(): PreloadedSnapshot;
}

/**
 * Starts reading the snapshot at `path` on a worker thread: its checksum is checked and its
 * postings decoded there, while the caller goes on (say, loading modules and opening its
 * database). Without the worker script (running from sources) the file is read when first
 * waited for, on the caller's thread.
 */
export function preloadSnapshot(path: string): SnapshotPreload {
  let outcome: PreloadedSnapshot | Error | undefined;
  const onThisThread = (): PreloadedSnapshot | Error => unwrap(preload(path, (byteLength) => new ArrayBuffer(byteLength)));
  let settle = onThisThread;
  if (existsSync(fileURLToPath(WORKER_SCRIPT))) {
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    try {
      const worker = new Worker(WORKER_SCRIPT, { workerData: { path, port: port2, signal } satisfies PreloadSetup, transferList: [port2] });
      // A thread that fails leaves the waiter to read the file itself.
      worker.on('error', () => undefined);
      worker.unref();
      settle = () => {
        Atomics.wait(signal, 0, 0, PATIENCE_MS);
        const reply = receiveMessageOnPort(port1)?.message as PreloadReply | undefined;
        port1.close();
        void worker.terminate();
        return reply === undefined ? onThisThread() : unwrap(reply);
      };
    } catch {
      port1.close();
      port2.close();
    }
  }
  return {
    wait() {
      outcome ??= settle();
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  };
}

/** What the preload thread is given. */
export interface PreloadSetup {
  readonly path: string;
  readonly port: MessagePort;
  /** Set to 1 (and notified) once the reply is posted. */
  readonly signal: Int32Array;
}

/** A preload's result as it crosses threads: errors as plain data. */
export type PreloadReply =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly decoded: readonly DecodedPostings[] }
  | { readonly ok: false; readonly rejection?: SnapshotRejection; readonly message: string; readonly code?: string };

/** Reads the file into `allocate`d memory and decodes it; never throws. */
export function preload(path: string, allocate: (byteLength: number) => ArrayBufferLike): PreloadReply {
  try {
    const bytes = readWhole(path, allocate);
    return { ok: true, bytes, decoded: decodeSnapshotPostings(bytes, allocate) };
  } catch (error) {
    if (error instanceof SnapshotRejectedError) return { ok: false, rejection: error.reason, message: error.detail };
    const code = (error as { code?: unknown }).code;
    return { ok: false, message: error instanceof Error ? error.message : String(error), ...(typeof code === 'string' ? { code } : {}) };
  }
}

function readWhole(path: string, allocate: (byteLength: number) => ArrayBufferLike): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const bytes = new Uint8Array(allocate(size));
    let read = 0;
    while (read < size) {
      const got = readSync(fd, bytes, read, size - read, read);
      if (got === 0) break;
      read += got;
    }
    // A file cut short while read is torn: the checksum says so.
    return bytes.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function unwrap(reply: PreloadReply): PreloadedSnapshot | Error {
  if (reply.ok) return new PreloadedSnapshot(reply.bytes, reply.decoded);
  if (reply.rejection !== undefined) return new SnapshotRejectedError(reply.rejection, reply.message);
  return Object.assign(new Error(reply.message), reply.code === undefined ? {} : { code: reply.code });
}
