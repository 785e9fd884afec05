import { setFlagsFromString } from 'node:v8';

/**
 * Caps how far V8 lets the heap grow past what its last full collection kept: to (1 + percent/100)
 * times that, where V8's own heuristics allow up to four times when collecting looks cheap. The
 * engine's live heap is small (about 110 MB at the pipeline bench's ×40 corpus, measured after forced
 * collections) but it turns over fast (batches in and out of Redis), so left to itself V8 let the
 * garbage reach 480 MB before collecting: most of the peak RSS. 0 leaves V8's heuristics alone.
 *
 * It applies to the whole process (a role's process: main.ts sets it first thing) and to the limits
 * V8 computes after it is set: a limit already raised stays until the heap reaches it, so set three
 * seconds into the bench's run it changed nothing.
 */
export function limitHeapGrowth(percent: number): void {
  if (!Number.isInteger(percent) || percent < 0) throw new RangeError(`heap growth must be a whole, non-negative percentage: ${percent}`);
  if (percent === 0) return;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
