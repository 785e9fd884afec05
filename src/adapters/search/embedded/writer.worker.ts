/**
 * The writer thread of the embedded index (writer.ts starts it): the one read-write connection that
 * indexes posts and mirrors incidents, so SQLite's inserts and FTS updates cost this thread, never
 * the event loop that serves the API and runs the pipeline's workers. Requests come one at a time
 * and are answered in order; each is one transaction (documents.ts).
 */
import { workerData } from 'node:worker_threads';
import { answerRequests } from '../../../platform/threads.js';
import { openIndexDb } from './schema.js';
import { purgePersonalData, writeIncidents, writePosts, writeSpikes } from './documents.js';
import type { WriterRequest } from './writer.js';

const db = openIndexDb((workerData as { path: string }).path);

function run(m: WriterRequest): unknown {
  switch (m.op) {
    case 'posts':
      writePosts(db, m.docs);
      return undefined;
    case 'incidents':
      writeIncidents(db, m.items);
      return undefined;
    case 'spikes':
      writeSpikes(db, m.spikes);
      return undefined;
    case 'purge':
      return purgePersonalData(db, m.window);
    case 'close':
      db.close();
      return undefined;
  }
}

answerRequests<WriterRequest>(run);
