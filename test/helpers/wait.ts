import { setTimeout as sleep } from 'node:timers/promises';

/** Polls until `fn` returns a value (not undefined), or fails after `ms`. */
export async function eventually<T>(fn: () => Promise<T | undefined> | T | undefined, ms = 15_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what} not met within ${ms} ms`);
    await sleep(50);
  }
}

/** Polls until `ok` holds, or fails after `ms`. */
export async function waitFor(ok: () => Promise<boolean> | boolean, ms = 15_000, what = 'condition'): Promise<void> {
  await eventually(async () => ((await ok()) ? true : undefined), ms, what);
}
