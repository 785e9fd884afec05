import { describe, expect, it } from 'vitest';
import { LiveRouter } from '../../../src/routing/live-router.js';
import { RouteTableStore } from '../../../src/adapters/redis/route-table.store.js';
import { RedisKeys } from '../../../src/adapters/redis/keys.js';
import { Router } from '../../../src/core/routing/router.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';

const t = useTestRedis();

describe('the live router', () => {
  it("follows the route table set through the API within its check interval, and the file's again after a reset", async () => {
    const store = new RouteTableStore(t.redis, new RedisKeys(freshPrefix()));
    const file = new Router({ fallbackBody: 'cur', routes: [{ topic: 'roads', body: 'roads' }] });
    let now = 0;
    const live = new LiveRouter(file, store, undefined, 1000, () => now);
    expect((await live.current()).route('roads', undefined).bodyId).toBe('roads');

    const saved = await store.set({ fallbackBody: 'cur', routes: [{ topic: 'roads', body: 'roads-2' }] }, 'user:admin', new Date('2026-11-22T10:00:00Z'));
    expect(saved).toMatchObject({ version: 1, updatedBy: 'user:admin', updatedAt: '2026-11-22T10:00:00.000Z' });
    // Within the interval the cached router answers (no Redis read per batch)...
    now = 999;
    expect((await live.current()).route('roads', undefined).bodyId).toBe('roads');
    // ...after it, the new table.
    now = 1000;
    expect((await live.current()).route('roads', undefined).bodyId).toBe('roads-2');
    expect((await live.current()).route('snow', undefined).bodyId).toBe('cur');

    await store.clear();
    now = 2000;
    expect((await live.current()).route('roads', undefined).bodyId).toBe('roads');
    expect(await store.get()).toBeUndefined();
    expect(await store.version()).toBe(2);
  });
});
