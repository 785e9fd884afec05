import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';

/**
 * Starts a worker thread from a module of this project, built (.js) or under tsx (.ts, in
 * development and tests: the thread registers tsx before importing it).
 */
export function startThread(file: URL, workerData: unknown): Worker {
  return extname(fileURLToPath(file)) === '.ts'
    ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(file.href)}); })`, { eval: true, workerData })
    : new Worker(file, { workerData });
}

/** A sibling module of `here` (import.meta.url) with the same extension: `.ts` under tsx, `.js` when built. */
export function siblingModule(here: string, name: string): URL {
  return new URL(`./${name}${extname(fileURLToPath(here))}`, here);
}

/** A thread's answer to one request: its result, or the error's message and code (SQLite's, say). */
export type ThreadReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: { message: string; code: string } };

/** Inside a worker thread: answers each request from the parent, in order, with `run`'s result or its error. */
export function answerRequests<R extends { id: number }>(run: (request: R) => unknown): void {
  parentPort?.on('message', (m: R) => {
    let reply: ThreadReply;
    try {
      reply = { id: m.id, ok: true, result: run(m) };
    } catch (e) {
      reply = { id: m.id, ok: false, error: { message: (e as Error).message, code: (e as { code?: string }).code ?? '' } };
    }
    parentPort?.postMessage(reply);
  });
}
