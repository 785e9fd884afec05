import { describe, expect, it } from 'vitest';
import { VkWallConnector, vkWallOptionsSchema } from '../../../../connectors/vk/vk-wall.connector.js';
import { FakeVk, VK_TOKEN } from '../../../fixtures/vk.js';

const OWNER = -7;

/** A wall of `total` posts, `pinned` listed first. */
function wall(total: number, pinned: number): FakeVk {
  const vk = new FakeVk();
  for (let id = 1; id <= total; id++) vk.publish(OWNER, id, `post ${id}`);
  const p = vk.posts.get(`${OWNER}_${pinned}`);
  if (p) p.is_pinned = 1;
  return vk;
}

const make = (vk: FakeVk, options: Record<string, unknown> = {}) =>
  new VkWallConnector(
    { id: 'vk-city', type: 'vk-wall', options: vkWallOptionsSchema.parse({ ownerId: OWNER, pageSize: 10, overlap: 2, comments: false, ...options }) },
    { resolvePath: (p) => p, now: () => new Date('2026-11-21T10:00:00Z'), secret: (n) => (n === 'VK_TOKEN' ? VK_TOKEN : undefined), http: vk.http },
  );

describe('VK wall.get connector', () => {
  it('pages with overlap until the oldest unpinned post is one it has seen; the old pinned post never stops it early', async () => {
    const vk = wall(30, 3);
    const c = make(vk);
    const r = await c.poll({ maxSeenId: 12, checkedAt: 1, tracked: [] }, { limit: 100 });
    const ids = r.items.map((i) => (i.ok ? i.post.id : i.ref));
    expect(ids).toEqual(Array.from({ length: 18 }, (_, i) => `vk:-7_${13 + i}`));
    const gets = vk.log.filter((c) => c.method === 'wall.get');
    expect(gets.map((q) => q.params.offset)).toEqual(['0', '8', '16']);
    expect(gets[0]?.params.owner_id).toBe('-7');
    expect(gets[0]?.token).toBe('service');
    expect(vk.origin.requests[0]?.body).toContain('v=5.199');
    expect(r.nextCursor.maxSeenId).toBe(30);
  });

  it('the first poll takes only the newest posts up to the backlog, oldest first', async () => {
    const c = make(wall(30, 3), { bootstrapBacklog: 5 });
    const r = await c.poll(c.initialCursor(), { limit: 100 });
    expect(r.items.map((i) => (i.ok ? i.post.id : ''))).toEqual(['vk:-7_26', 'vk:-7_27', 'vk:-7_28', 'vk:-7_29', 'vk:-7_30']);
  });

  it('VK errors arrive with HTTP 200 and map to what the engine should do; the token never appears', async () => {
    for (const [code, expected] of [
      [6, { code: 'PLATFORM_RATE_LIMITED', details: { retryAfterS: 1 } }],
      [29, { code: 'PLATFORM_RATE_LIMITED' }],
      [5, { code: 'PLATFORM_AUTH_FAILED' }],
      [15, { code: 'PLATFORM_AUTH_FAILED' }],
      [10, { code: 'PLATFORM_UNAVAILABLE', retryable: true }],
      [100, { code: 'PLATFORM_ERROR', retryable: false }],
    ] as const) {
      const vk = wall(2, 1);
      vk.failNextWith(code, `x ${VK_TOKEN}`);
      const err = await make(vk).poll({ maxSeenId: 1, checkedAt: 1, tracked: [] }, { limit: 10 }).catch((e: unknown) => e);
      expect(err).toMatchObject(expected);
      expect(String(err) + JSON.stringify(err)).not.toContain(VK_TOKEN);
    }
  });
});
