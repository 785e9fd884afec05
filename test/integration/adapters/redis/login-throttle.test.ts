import { describe, expect, it } from 'vitest';
import { RedisKeys } from '../../../../src/adapters/redis/keys.js';
import { RedisLoginThrottle } from '../../../../src/adapters/redis/login-throttle.js';
import { freshPrefix, useTestRedis } from '../../../helpers/redis.js';

const t = useTestRedis();

describe('sign-in throttle in Redis', () => {
  it('one account failing from one address is held back; others at that address and that account elsewhere are not', async () => {
    const th = new RedisLoginThrottle(t.redis, new RedisKeys(freshPrefix()), 3);
    for (let i = 0; i < 3; i++) await th.failed('Ivanov', '10.0.0.5');
    const wait = await th.blockedFor('ivanov', '10.0.0.5');
    expect(wait).toBeGreaterThan(14 * 60);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    // A colleague behind the same office address, and the same person from home, still sign in.
    expect(await th.blockedFor('petrova', '10.0.0.5')).toBe(0);
    expect(await th.blockedFor('ivanov', '192.0.2.7')).toBe(0);
  });

  it('successes do not count, and one clears the failures of that account from that address', async () => {
    const th = new RedisLoginThrottle(t.redis, new RedisKeys(freshPrefix()), 3);
    await th.failed('ivanov', '10.0.0.5');
    await th.failed('ivanov', '10.0.0.5');
    await th.succeeded('ivanov', '10.0.0.5');
    await th.failed('ivanov', '10.0.0.5');
    await th.failed('ivanov', '10.0.0.5');
    expect(await th.blockedFor('ivanov', '10.0.0.5')).toBe(0);
  });

  it('an account tried from many addresses, and an address trying many accounts, are held back too', async () => {
    const keys = new RedisKeys(freshPrefix());
    const th = new RedisLoginThrottle(t.redis, keys, 2);
    // Account limit: 5 × 2 failures, from ten addresses.
    for (let i = 0; i < 10; i++) await th.failed('admin', `198.51.100.${i}`);
    expect(await th.blockedFor('admin', '198.51.100.200')).toBeGreaterThan(0);
    // Address limit: 10 × 2 failures, over twenty accounts.
    for (let i = 0; i < 20; i++) await th.failed(`user${i}`, '203.0.113.9');
    expect(await th.blockedFor('someone-else', '203.0.113.9')).toBeGreaterThan(0);
    // Each counter lives for its window only.
    const ttl = await t.redis.pttl(keys.loginFailures('address', '203.0.113.9'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
  });
});
