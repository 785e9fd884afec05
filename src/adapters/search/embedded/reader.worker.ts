/**
 * A reader thread of the embedded index (reader-pool.ts starts it): its own read-only connection to
 * the index file, so a long query costs this thread, never the event loop that serves the API and
 * the workers. WAL lets it read while the engine writes.
 */
import { workerData } from 'node:worker_threads';
import { answerRequests } from '../../../platform/threads.js';
import Database from 'better-sqlite3';
import { searchPosts, slaRows, spikeRows, termCounts, trendBuckets } from './queries.js';
import type { ReaderRequest } from './reader-pool.js';

const db = new Database((workerData as { path: string }).path, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');

function run(m: ReaderRequest): unknown {
  switch (m.op) {
    case 'search':
      return searchPosts(db, m.query);
    case 'trends':
      return trendBuckets(db, m.query);
    case 'terms':
      return termCounts(db, m.query);
    case 'sla':
      return slaRows(db, m.query, new Date(m.now));
    case 'spikes':
      return spikeRows(db, m.query);
  }
}

answerRequests<ReaderRequest>(run);
