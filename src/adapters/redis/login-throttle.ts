import type { Redis } from 'ioredis';
import type { LoginThrottle } from '../../ports/login-throttle.js';
import type { RedisKeys } from './keys.js';

/** How many failures each counter allows in its window, relative to the configured per-account limit. */
export function loginLimits(perAccountAndAddress: number): { pair: number; account: number; address: number } {
  // An account is attacked from many addresses, an office signs in many people from one.
  return { pair: perAccountAndAddress, account: perAccountAndAddress * 5, address: perAccountAndAddress * 10 };
}

// INCR and, for a new counter, its window: one step, so a counter never lives forever.
const FAIL = `
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
end
return 1`;

/** Failure counters in Redis, shared by every API process; each lives for the window from its first failure. */
export class RedisLoginThrottle implements LoginThrottle {
  private readonly limits: { pair: number; account: number; address: number };

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    perAccountAndAddress: number,
    private readonly windowMs = 15 * 60_000,
  ) {
    this.limits = loginLimits(perAccountAndAddress);
  }

  private counters(login: string, address: string): { key: string; limit: number }[] {
    const who = login.trim().toLowerCase();
    return [
      { key: this.keys.loginFailures('pair', `${who}|${address}`), limit: this.limits.pair },
      { key: this.keys.loginFailures('account', who), limit: this.limits.account },
      { key: this.keys.loginFailures('address', address), limit: this.limits.address },
    ];
  }

  async blockedFor(login: string, address: string): Promise<number> {
    const counters = this.counters(login, address);
    const counts = await this.redis.mget(...counters.map((c) => c.key));
    let waitMs = 0;
    for (const [i, c] of counters.entries()) {
      if (Number(counts[i] ?? 0) < c.limit) continue;
      const ttl = await this.redis.pttl(c.key);
      waitMs = Math.max(waitMs, ttl > 0 ? ttl : this.windowMs);
    }
    return Math.ceil(waitMs / 1000);
  }

  async failed(login: string, address: string): Promise<void> {
    const counters = this.counters(login, address);
    await this.redis.eval(FAIL, counters.length, ...counters.map((c) => c.key), String(this.windowMs));
  }

  async succeeded(login: string, address: string): Promise<void> {
    const [pair] = this.counters(login, address);
    if (pair) await this.redis.del(pair.key);
  }
}
