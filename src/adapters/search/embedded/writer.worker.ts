/**
 * The writer thread of the embedded index (writer.ts starts it): the one read-write connection that
 * indexes posts and mirrors incidents, so SQLite's inserts and FTS updates cost this thread, never
 * the event loop that serves the API and runs the pipeline's workers. Requests come one at a time
 * and are answered in order; each is one transaction (documents.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openIndexDb } from './schema.js';
import { purgePersonalData, writeIncidents, writePosts } from './documents.js';
import type { WriterReply, WriterRequest } from './writer.js';

const db = openIndexDb((workerData as { path: string }).path);

function run(m: WriterRequest): unknown {
  switch (m.op) {
    case 'posts':
      writePosts(db, m.docs);
      return undefined;
    case 'incidents':
      writeIncidents(db, m.items);
      return undefined;
    case 'purge':
      return purgePersonalData(db, m.window);
    case 'close':
      db.close();
      return undefined;
  }
}

parentPort?.on('message', (m: WriterRequest) => {
  let reply: WriterReply;
  try {
    reply = { id: m.id, ok: true, result: run(m) };
  } catch (e) {
    reply = { id: m.id, ok: false, error: { message: (e as Error).message, code: (e as { code?: string }).code ?? '' } };
  }
  parentPort?.postMessage(reply);
});
