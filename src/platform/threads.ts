import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

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
