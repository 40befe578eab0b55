import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Company } from '../schema/records.js';
import { createDuplicateIndex, duplicateAnalyser, type AnalysedCompany, type DuplicateIndex, type DuplicateOptions, type DuplicateSeed, type DuplicateWarning } from './duplicates.js';

/**
 * A duplicate index kept on its own worker thread, so that checking an import runs beside the
 * import instead of after each record of it: the writer posts records as it stores them and
 * asks for the warnings once it is done. Requests are handled in the order they are posted,
 * so the warnings are exactly those of {@link DuplicateIndex.checkAndAdd} called in that order
 * on one thread (the worker runs the same index).
 *
 * Posting (`add`, `remove`, `checkAndAdd`) never waits. `warnings` and `pairs` wait for the
 * worker to reach them; the `Async` forms wait without blocking the event loop.
 */
export interface DuplicateThread {
  /** Whether the index runs on a worker thread (false: on this one, where no worker script is built). */
  readonly threaded: boolean;
  /** Adds (or replaces, by id) a known record. */
  add(company: Company): void;
  /** Forgets a record. */
  remove(id: string): void;
  /** Checks `company` against the records before it, then adds it; its warnings are kept under `batch`. */
  checkAndAdd(company: Company, batch: number): void;
  /** The warnings of every `checkAndAdd` of `batch` so far, in their order, and forgets them. */
  warnings(batch: number): DuplicateWarning[];
  warningsAsync(batch: number): Promise<DuplicateWarning[]>;
  /** As {@link DuplicateIndex.pairs}. */
  pairs(): DuplicateWarning[];
  pairsAsync(): Promise<DuplicateWarning[]>;
  /** Settles once everything posted before it has been handled (never rejects: a failure shows at the next answer). */
  settledAsync(): Promise<void>;
  /** Ends the worker; a closed thread answers nothing more. */
  close(): Promise<void>;
}

/**
 * An {@link AnalysedCompany} as it is posted: the terms joined into one string, so a record
 * crosses as two values rather than one per term.
 */
export interface PostedAnalysis {
  readonly id: string;
  readonly orgNumber: string | undefined;
  readonly language: AnalysedCompany['language'];
  readonly words: string;
  readonly counts: Float64Array;
  readonly textSize: number;
}

/** Terms never hold a NUL (the analyser's terms are words and `§concept` ids). */
const TERM_SEPARATOR = '\u0000';

export function postedAnalysis(analysed: AnalysedCompany): PostedAnalysis {
  const { id, orgNumber, language, terms, counts, textSize } = analysed;
  return { id, orgNumber, language, words: terms.join(TERM_SEPARATOR), counts, textSize };
}

export function receivedAnalysis(posted: PostedAnalysis): AnalysedCompany {
  const terms = posted.counts.length === 0 ? [] : posted.words.split(TERM_SEPARATOR);
  // A term holding the separator would shift every count after it: refused, so the index fails over to one thread instead.
  if (terms.length !== posted.counts.length) throw new Error(`record ${JSON.stringify(posted.id)}: ${terms.length} terms for ${posted.counts.length} counts`);
  return { id: posted.id, orgNumber: posted.orgNumber, language: posted.language, terms, counts: posted.counts, textSize: posted.textSize };
}

/** What the main thread posts to the worker, in batches (one message holds several requests, in order). */
export type ThreadRequest =
  | { readonly op: 'known'; readonly companies: readonly Company[] }
  | { readonly op: 'seed'; readonly seed: DuplicateSeed }
  | { readonly op: 'add'; readonly analysed: PostedAnalysis }
  | { readonly op: 'remove'; readonly id: string }
  | { readonly op: 'checkAndAdd'; readonly analysed: PostedAnalysis; readonly batch: number }
  | { readonly op: 'warnings'; readonly batch: number; readonly request: number }
  | { readonly op: 'pairs'; readonly request: number }
  | { readonly op: 'ping'; readonly request: number };

/** What the worker answers, on the reply port, for `warnings` and `pairs`. */
export type ThreadReply =
  | { readonly request: number; readonly warnings: DuplicateWarning[] }
  | { readonly request: number; readonly error: string };

export interface ThreadSetup {
  readonly options: DuplicateOptions;
  readonly replies: MessagePort;
  /** A counter the worker bumps after each reply, for a wait that blocks (`Atomics.wait`). */
  readonly signal: SharedArrayBuffer;
}

const WORKER_SCRIPT = new URL('./duplicate-worker.js', import.meta.url);
/**
 * Requests posted in one message: a message costs about as much as analysing a short record
 * crossing over, and a batch still reaches the worker every few milliseconds of an import.
 */
const POST_BATCH = 32;
/**
 * Known records cross in messages of this many, analysed by the worker: a message is freed
 * once handled, where `workerData` would keep a copy of the whole register for the worker's life.
 */
const KNOWN_BATCH = 512;
/** How often a blocking wait looks whether the worker is still alive. */
const LIVENESS_POLL_MS = 100;

/**
 * Starts a {@link DuplicateThread} over `existing` companies (records, or a seed taken from
 * a matcher that holds them: see {@link DuplicateSeed}; its typed arrays move to the worker). With `worker: false`, or
 * without a built worker script (running from sources), the index runs on this thread
 * behind the same interface (what a caller falls back to when a worker fails).
 */
export function openDuplicateThread(existing: readonly Company[] | DuplicateSeed = [], options: DuplicateOptions = {}, settings: { readonly worker?: boolean } = {}): DuplicateThread {
  if (settings.worker === false || !existsSync(fileURLToPath(WORKER_SCRIPT))) return inlineThread(createDuplicateIndex(existing, options));
  return new WorkerThread(existing, options);
}

function inlineThread(index: DuplicateIndex): DuplicateThread {
  const batches = new Map<number, DuplicateWarning[]>();
  const take = (batch: number): DuplicateWarning[] => {
    const found = batches.get(batch) ?? [];
    batches.delete(batch);
    return found;
  };
  return {
    threaded: false,
    add: (company) => index.add(company),
    remove: (id) => void index.remove(id),
    checkAndAdd(company, batch) {
      const found = index.checkAndAdd(company);
      const list = batches.get(batch);
      if (list === undefined) batches.set(batch, found);
      else list.push(...found);
    },
    warnings: take,
    warningsAsync: async (batch) => take(batch),
    pairs: () => index.pairs(),
    pairsAsync: async () => index.pairs(),
    settledAsync: async () => {},
    close: async () => {},
  };
}

class WorkerThread implements DuplicateThread {
  readonly threaded = true;
  readonly #worker: Worker;
  /**
   * Analyses on this thread: the matcher has just analysed the record's text here, and
   * this thread's word memos are warm; the worker numbers the terms and compares.
   */
  readonly #analyse: (company: Company) => AnalysedCompany;
  #queue: ThreadRequest[] = [];
  readonly #replies: MessagePort;
  readonly #signal: Int32Array;
  readonly #pending = new Map<number, { resolve(reply: ThreadReply): void }>();
  readonly #answered = new Map<number, ThreadReply>();
  #nextRequest = 0;
  #failure: Error | undefined;

  constructor(existing: readonly Company[] | DuplicateSeed, options: DuplicateOptions) {
    const channel = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    this.#signal = new Int32Array(signal);
    this.#analyse = duplicateAnalyser(options);
    this.#replies = channel.port1;
    this.#worker = new Worker(WORKER_SCRIPT, {
      workerData: { options, replies: channel.port2, signal } satisfies ThreadSetup,
      transferList: [channel.port2],
    });
    if (Array.isArray(existing)) {
      const companies = existing as readonly Company[];
      for (let start = 0; start < companies.length; start += KNOWN_BATCH) {
        this.#worker.postMessage([{ op: 'known', companies: companies.slice(start, start + KNOWN_BATCH) }] satisfies ThreadRequest[]);
      }
    } else {
      const seed = existing as DuplicateSeed;
      const { rowStart, numbers, tfs } = seed.text;
      this.#worker.postMessage([{ op: 'seed', seed }] satisfies ThreadRequest[], [seed.rows.buffer, rowStart.buffer, numbers.buffer, tfs.buffer]);
    }
    // Neither keeps a process alive that has nothing else to do.
    this.#worker.unref();
    this.#replies.unref();
    this.#replies.on('message', (reply: ThreadReply) => this.#deliver(reply));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => this.#fail(new Error(`the duplicate-check worker exited (code ${code})`)));
  }

  add(company: Company): void {
    this.#post({ op: 'add', analysed: postedAnalysis(this.#analyse(company)) });
  }

  remove(id: string): void {
    this.#post({ op: 'remove', id });
  }

  checkAndAdd(company: Company, batch: number): void {
    this.#post({ op: 'checkAndAdd', analysed: postedAnalysis(this.#analyse(company)), batch });
  }

  warnings(batch: number): DuplicateWarning[] {
    return this.#answer(this.#wait(this.#ask((request) => ({ op: 'warnings', batch, request }))));
  }

  async warningsAsync(batch: number): Promise<DuplicateWarning[]> {
    const request = this.#ask((id) => ({ op: 'warnings', batch, request: id }));
    return this.#answer(await this.#reply(request));
  }

  pairs(): DuplicateWarning[] {
    return this.#answer(this.#wait(this.#ask((request) => ({ op: 'pairs', request }))));
  }

  async pairsAsync(): Promise<DuplicateWarning[]> {
    const request = this.#ask((id) => ({ op: 'pairs', request: id }));
    return this.#answer(await this.#reply(request));
  }

  async settledAsync(): Promise<void> {
    if (this.#failure !== undefined) return;
    const request = this.#ask((id) => ({ op: 'ping', request: id }));
    await this.#reply(request);
  }

  async close(): Promise<void> {
    this.#failure ??= new Error('the duplicate-check thread is closed');
    await this.#worker.terminate();
  }

  /** Queues a request; a full batch is posted at once, a partial one after the current task (or with the next question). */
  #post(request: ThreadRequest): void {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#queue.length === 0) queueMicrotask(() => this.#flush());
    this.#queue.push(request);
    if (this.#queue.length >= POST_BATCH) this.#flush();
  }

  #flush(): void {
    if (this.#queue.length === 0 || this.#failure !== undefined) return;
    const batch = this.#queue;
    this.#queue = [];
    this.#worker.postMessage(batch);
  }

  #ask(make: (request: number) => ThreadRequest): number {
    const request = this.#nextRequest++;
    this.#post(make(request));
    this.#flush();
    return request;
  }

  #answer(reply: ThreadReply): DuplicateWarning[] {
    if ('error' in reply) throw new Error(`duplicate check failed on its worker thread: ${reply.error}`);
    return reply.warnings;
  }

  #deliver(reply: ThreadReply): void {
    const waiting = this.#pending.get(reply.request);
    if (waiting === undefined) this.#answered.set(reply.request, reply);
    else {
      this.#pending.delete(reply.request);
      waiting.resolve(reply);
    }
  }

  /** The reply to `request`, without blocking (an error reply when the worker has failed). */
  #reply(request: number): Promise<ThreadReply> {
    return new Promise((resolve) => {
      const answered = this.#answered.get(request);
      if (answered !== undefined) {
        this.#answered.delete(request);
        resolve(answered);
      } else if (this.#failure !== undefined) resolve({ request, error: this.#failure.message });
      else this.#pending.set(request, { resolve });
    });
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const [request, waiting] of this.#pending) waiting.resolve({ request, error: error.message });
    this.#pending.clear();
  }

  /**
   * Blocks until the reply to `request` arrives: replies are taken off the port directly
   * (no event loop turn runs while this waits), and between looks the thread sleeps on the
   * worker's signal. A worker that died is seen by its thread id (the exit event would only
   * come on a later turn).
   */
  #wait(request: number): ThreadReply {
    for (;;) {
      const seen = Atomics.load(this.#signal, 0);
      for (let message = receiveMessageOnPort(this.#replies); message !== undefined; message = receiveMessageOnPort(this.#replies)) {
        this.#deliver(message.message as ThreadReply);
      }
      const reply = this.#answered.get(request);
      if (reply !== undefined) {
        this.#answered.delete(request);
        return reply;
      }
      if (this.#failure !== undefined) return { request, error: this.#failure.message };
      if (Atomics.wait(this.#signal, 0, seen, LIVENESS_POLL_MS) === 'timed-out' && this.#worker.threadId === -1) {
        this.#fail(new Error('the duplicate-check worker stopped'));
      }
    }
  }
}
