import type { Worker } from 'node:worker_threads';
import { OtklikError } from '../../../core/errors.js';
import type { CaptureWindow, IndexedPost, MirroredIncident } from '../../../ports/search-index.js';
import type { SpikeRecord } from '../../../core/spikes/spike.js';
import { siblingModule, startThread, type ThreadReply } from '../../../platform/threads.js';

export type WriterRequest =
  | { id: number; op: 'posts'; docs: readonly IndexedPost[] }
  | { id: number; op: 'incidents'; items: readonly MirroredIncident[] }
  | { id: number; op: 'purge'; window: CaptureWindow }
  | { id: number; op: 'spikes'; spikes: readonly SpikeRecord[] }
  | { id: number; op: 'close' };

export type WriterReply = ThreadReply;

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** SQLite's codes for a write that may succeed when tried again. */
const RETRYABLE = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL']);

/**
 * The embedded index's writer thread, seen from the engine: a write is posted and its promise
 * settles when the thread has committed it (or failed, with SQLite's error as a typed one). A thread
 * that dies fails what it held and is started again for the next write.
 */
export class IndexWriter {
  private worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly path: string) {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const worker = startThread(siblingModule(import.meta.url, 'writer.worker'), { path: this.path });
    worker.on('message', (m: WriterReply) => {
      const job = this.pending.get(m.id);
      if (!job) return;
      this.pending.delete(m.id);
      this.idle();
      if (m.ok) job.resolve(m.result);
      else job.reject(new OtklikError('SEARCH_INDEX_FAILED', `embedded index: ${m.error.message}`, { retryable: RETRYABLE.has(m.error.code) }));
    });
    const fail = (why: string) => {
      for (const [id, job] of this.pending) {
        this.pending.delete(id);
        // Not known to be written: the stage's retry writes it again (writes are idempotent by id and version).
        job.reject(new OtklikError('SEARCH_INDEX_FAILED', `embedded index writer ${why}`, { retryable: true }));
      }
      if (!this.closed && this.worker === worker) this.worker = this.spawn();
    };
    worker.on('error', (e) => fail(`failed: ${e.message}`));
    worker.on('exit', (code) => fail(`ended (exit code ${code})`));
    // An idle writer must not keep the process alive on its own (close() ends it in order); one
    // with writes in hand must, or a script awaiting its last write would simply exit.
    worker.unref();
    return worker;
  }

  private idle(): void {
    if (this.pending.size === 0) this.worker.unref();
  }

  run<T>(op: DistributiveOmit<WriterRequest, 'id'>): Promise<T> {
    if (this.closed) return Promise.reject(new OtklikError('SEARCH_UNAVAILABLE', 'the embedded index is closed'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: (v) => resolve(v as T), reject });
      this.worker.ref();
      try {
        this.worker.postMessage({ ...op, id });
      } catch (e) {
        this.pending.delete(id);
        this.idle();
        reject(new OtklikError('SEARCH_INDEX_FAILED', `embedded index: the documents could not be handed to the writer: ${(e as Error).message}`, { cause: e }));
      }
    });
  }

  /** Lets the writes already posted finish, closes the connection, ends the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.run({ op: 'close' }).catch(() => undefined);
    this.closed = true;
    await this.worker.terminate();
  }
}
