import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Where a row's bytes go in the shared memory: [key, offset, capacity]. The key is the row's first
 * field (a bigint, as a decimal string).
 */
export type SharedPlacement = [key: string, offset: number, capacity: number];

export interface SharedCopyRequest {
  seq: number;
  sql: string;
  buffer: SharedArrayBuffer;
  places: SharedPlacement[];
}

export type SharedCopyResponse =
  | { seq: number; found: [key: string, length: number][] }
  | { seq: number; error: { message: string; code?: string } };

/**
 * The worker runs compiled JavaScript (Node does not run TypeScript): dist/, from dist/ itself or
 * from src/ under the test runner (`npm test` builds the libs first).
 */
const WORKER_FILE = path.resolve(__dirname, '../dist/shared-copy.worker.js');

/**
 * Runs binary COPY statements on a worker thread, which writes each row's bytes straight into
 * memory shared with the caller (shared-copy.worker.ts). Why a thread: reading blobs through
 * node-postgres allocates about twice their size in short-lived Buffers (socket reads, message
 * reassembly), and on the API's main thread, whose heap is large, that external memory sets off a
 * full mark-compact every ~150 ms during a POP3 download of large messages (measured: more CPU in
 * GC than in everything else). The worker's heap is small, its GCs cheap, and it runs on the other
 * core; the main thread only gets views of the shared memory, allocating nothing per message.
 *
 * The statement must return (bigint key, bytea data) rows. One connection, opened on first use and
 * again after a failure; a worker that dies fails what it was doing and is started anew next time.
 */
export class SharedCopyReader {
  private worker: Worker | undefined;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (found: Map<string, number>) => void; reject: (err: Error) => void }>();
  private isClosed = false;

  constructor(
    private readonly url: string,
    private readonly applicationName = 'correio-copy-reader',
  ) {}

  /**
   * Runs `sql` and writes the data of the row with key k into `into` at its placement when it fits
   * its capacity. Resolves to key -> length for every row returned: a length over the capacity
   * means the bytes were not written; a key missing from the result has no row.
   */
  read(sql: string, into: SharedArrayBuffer, places: SharedPlacement[]): Promise<Map<string, number>> {
    if (this.isClosed) return Promise.reject(new Error('the copy reader is closed'));
    const worker = this.start();
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      worker.postMessage({ seq, sql, buffer: into, places } satisfies SharedCopyRequest);
    });
  }

  /**
   * Starts the worker and its connection now rather than on the first read (a server that will
   * read: the first reader does not wait for a thread to start). Reads start it anyway.
   */
  prepare(): void {
    if (!this.isClosed) this.start();
  }

  async close(): Promise<void> {
    this.isClosed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error('the copy reader is closed'));
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_FILE, { workerData: { url: this.url, applicationName: this.applicationName } });
    // Never what keeps the process alive: the servers that use it do.
    worker.unref();
    worker.on('message', (res: SharedCopyResponse) => {
      const waiter = this.pending.get(res.seq);
      if (!waiter) return;
      this.pending.delete(res.seq);
      if ('error' in res) waiter.reject(Object.assign(new Error(res.error.message), { code: res.error.code }));
      else waiter.resolve(new Map(res.found));
    });
    const gone = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(err);
    };
    worker.on('error', gone);
    worker.on('exit', (code) => gone(new Error(`the copy reader's worker exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  private failAll(err: Error): void {
    const waiters = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiters) w.reject(err);
  }
}
