import { describe, expect, it } from 'vitest';
import { Ledger } from '../../../../src/adapters/redis/ledger.js';
import { RedisKeys } from '../../../../src/adapters/redis/keys.js';
import { useTestRedis, freshPrefix } from '../../../helpers/redis.js';

const t = useTestRedis();

describe('Ledger (claim once per item)', () => {
  it('first owner wins, the same owner keeps its claim on retry, counts only fresh claims', async () => {
    const keys = new RedisKeys(freshPrefix());
    const ledger = new Ledger(t.redis, keys, 'posts_admitted', 3600);
    const items = [
      { key: 'vk:-1_1#a', day: '2026-11-20' },
      { key: 'vk:-1_2#a', day: '2026-11-21' },
    ];
    expect(await ledger.claim('job-1', items)).toEqual([true, true]);
    expect(await ledger.claim('job-1', items)).toEqual([true, true]);
    expect(await ledger.claim('job-2', [...items, { key: 'vk:-1_3#a', day: '2026-11-21' }])).toEqual([false, false, true]);
    expect(await t.redis.hget(keys.stats(), 'posts_admitted')).toBe('3');
    expect(await ledger.count('2026-11-21')).toBe(2);
    const ttl = await t.redis.ttl(keys.ledger('posts_admitted', '2026-11-21'));
    expect(ttl).toBeGreaterThan(3500);
  });

  it('concurrent owners racing for the same items: each item goes to exactly one', async () => {
    const keys = new RedisKeys(freshPrefix());
    const ledger = new Ledger(t.redis, keys, 'posts_admitted', 3600);
    const items = Array.from({ length: 200 }, (_, i) => ({ key: `p${i}#r`, day: '2026-11-21' }));
    const results = await Promise.all(Array.from({ length: 8 }, (_, o) => ledger.claim(`owner-${o}`, items)));
    for (let i = 0; i < items.length; i++) expect(results.filter((r) => r[i]).length).toBe(1);
    expect(await t.redis.hget(keys.stats(), 'posts_admitted')).toBe('200');
  });

  it('an empty claim touches nothing', async () => {
    const keys = new RedisKeys(freshPrefix());
    expect(await new Ledger(t.redis, keys, 'x', 60).claim('o', [])).toEqual([]);
    expect(await t.redis.exists(keys.stats())).toBe(0);
  });
});
