import { createHash } from 'node:crypto';
import PQueue from 'p-queue';

/**
 * One request budget per credential: every source that uses the same token shares it, because the
 * platforms count calls per token (VK 3/s for a user token, 20/s for a community token). Keys are
 * hashes, so no token is kept as a map key or shown in a heap dump label.
 */
export class TokenRateLimiters {
  private readonly queues = new Map<string, PQueue>();

  /** Runs `call` within `perSecond` calls a second for this token (the first caller sets the rate). */
  schedule<T>(token: string, perSecond: number, call: () => Promise<T>): Promise<T> {
    const key = createHash('sha256').update(token).digest('hex').slice(0, 24);
    let queue = this.queues.get(key);
    if (!queue) {
      queue = new PQueue({ intervalCap: Math.max(1, Math.floor(perSecond)), interval: 1000, carryoverConcurrencyCount: true });
      this.queues.set(key, queue);
    }
    return queue.add(call, { throwOnTimeout: true });
  }

  /** Calls waiting for their turn, over all tokens (for health). */
  get waiting(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.size;
    return n;
  }
}
