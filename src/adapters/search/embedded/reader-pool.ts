import type { Worker } from 'node:worker_threads';
import { OtklikError } from '../../../core/errors.js';
import type { SearchQuery, SlaQuery, TermsQuery, TrendQuery } from '../../../core/search/query.js';
import type { SpikeQuery } from '../../../core/spikes/spike.js';
import { siblingModule, startThread, type ThreadReply } from '../../../platform/threads.js';

export type ReaderRequest =
  | { id: number; op: 'search'; query: SearchQuery }
  | { id: number; op: 'trends'; query: TrendQuery }
  | { id: number; op: 'terms'; query: TermsQuery }
  | { id: number; op: 'sla'; query: SlaQuery; now: number }
  | { id: number; op: 'spikes'; query: SpikeQuery };

export type ReaderReply = ThreadReply;

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

export interface ReaderPoolOptions {
  path: string;
  /** Reader threads: queries that run at once. */
  size: number;
  /** A query that takes longer is stopped (its thread replaced) and refused with SEARCH_QUERY_TIMEOUT. */
  queryTimeoutMs: number;
  /** Queries that may wait for a free reader; more are refused as busy. */
  maxWaiting: number;
}

interface Reader {
  worker: Worker;
  /** Taken by a caller (set when handed out, before its query is posted). */
  busy: boolean;
  job?: { id: number; resolve: (v: unknown) => void; reject: (e: Error) => void; done: () => void };
}

/**
 * Reader threads for the embedded index. SQLite queries are synchronous and better-sqlite3 cannot
 * interrupt one, so a query runs on a reader thread, and a query over its time budget, or whose
 * caller went away, is stopped the only way there is: its thread is terminated and replaced.
 */
export class ReaderPool {
  private readonly readers: Reader[] = [];
  private readonly waiting: (() => void)[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly o: ReaderPoolOptions) {
    for (let i = 0; i < o.size; i++) this.readers.push(this.spawn());
  }

  private spawn(): Reader {
    const reader: Reader = { worker: startThread(siblingModule(import.meta.url, 'reader.worker'), { path: this.o.path }), busy: false };
    reader.worker.on('message', (m: ReaderReply) => {
      const job = reader.job;
      if (!job || job.id !== m.id) return;
      job.done();
      if (m.ok) job.resolve(m.result);
      else job.reject(new OtklikError('SEARCH_INDEX_FAILED', `embedded index: ${m.error.message}`, { retryable: m.error.code === 'SQLITE_BUSY' || m.error.code === 'SQLITE_LOCKED' }));
    });
    reader.worker.on('error', (e) => {
      const job = reader.job;
      if (job) {
        job.done();
        job.reject(new OtklikError('SEARCH_UNAVAILABLE', `embedded index reader failed: ${e.message}`, { cause: e }));
      }
      this.replace(reader);
    });
    reader.worker.on('exit', (code) => {
      // A thread that ended on its own (not replaced by us) takes no query with it.
      const job = reader.job;
      if (job) {
        job.done();
        job.reject(new OtklikError('SEARCH_UNAVAILABLE', `embedded index reader ended (exit code ${code})`));
      }
      if (this.readers.includes(reader)) this.replace(reader);
    });
    // A reader thread must not keep the process alive on its own.
    reader.worker.unref();
    return reader;
  }

  private replace(reader: Reader): void {
    // Ends once its current statement returns (native code cannot be interrupted); a fresh reader
    // takes its place now, so callers do not wait for it.
    void reader.worker.terminate();
    const i = this.readers.indexOf(reader);
    if (i >= 0 && !this.closed) this.readers[i] = this.spawn();
  }

  private async acquire(signal?: AbortSignal): Promise<Reader> {
    for (;;) {
      if (this.closed) throw new OtklikError('SEARCH_UNAVAILABLE', 'the embedded index is closed');
      const free = this.readers.find((r) => !r.busy);
      if (free) {
        // Taken now, in the same turn: another caller looking at the same moment must not get it too.
        free.busy = true;
        return free;
      }
      if (this.waiting.length >= this.o.maxWaiting) throw new OtklikError('SEARCH_UNAVAILABLE', `search is busy: ${this.readers.length} queries running and ${this.waiting.length} waiting; try again shortly`);
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          const i = this.waiting.indexOf(wake);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(cancelled());
        };
        if (signal?.aborted) return reject(cancelled());
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(wake);
      });
    }
  }

  async run<T>(op: DistributiveOmit<ReaderRequest, 'id'>, signal?: AbortSignal): Promise<T> {
    const reader = await this.acquire(signal);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const stop = (error: OtklikError) => {
        if (reader.job?.id !== id) return;
        reader.job.done();
        reject(error);
        // The only way to stop a running SQLite statement here: the thread goes, a fresh one comes.
        this.replace(reader);
      };
      const timer = setTimeout(() => stop(new OtklikError('SEARCH_QUERY_TIMEOUT', `the search took longer than ${this.o.queryTimeoutMs / 1000} s and was stopped: narrow it (a date range, fewer words, a filter)`, { details: { timeoutMs: this.o.queryTimeoutMs } })), this.o.queryTimeoutMs);
      const onAbort = () => stop(cancelled());
      signal?.addEventListener('abort', onAbort, { once: true });
      reader.job = {
        id,
        resolve: (v) => resolve(v as T),
        reject,
        done: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          reader.job = undefined;
          reader.busy = false;
          this.waiting.shift()?.();
        },
      };
      if (signal?.aborted) return stop(cancelled());
      try {
        reader.worker.postMessage({ ...op, id });
      } catch (e) {
        // A query that cannot be sent (not cloneable) must not keep the reader taken.
        reader.job.done();
        reject(new OtklikError('SEARCH_INDEX_FAILED', `embedded index: the query could not be handed to a reader: ${(e as Error).message}`, { cause: e }));
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake();
    // A thread inside a long SQLite statement ends only when the statement returns (V8 cannot stop
    // native code): shutdown does not wait for that. The threads are unref'd; the process exits.
    const ended = Promise.all(this.readers.map((r) => r.worker.terminate()));
    await Promise.race([ended, new Promise((r) => setTimeout(r, 1000).unref())]);
  }
}

function cancelled(): OtklikError {
  return new OtklikError('SEARCH_QUERY_CANCELLED', 'the caller went away; the search was stopped');
}
