import { describe, expect, it } from 'vitest';
import { MockAgent } from 'undici';
import { VkWallConnector, vkWallOptionsSchema } from '../../../../connectors/vk/vk-wall.connector.js';

const TOKEN = 'vk1.a.realistic-looking-token-value';

function wall(total: number, pinned: number, requests: URLSearchParams[]) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agent
    .get('https://api.vk.ru')
    .intercept({ path: '/method/wall.get', method: 'POST' })
    .reply(200, (o) => {
      const q = new URLSearchParams(typeof o.body === 'string' ? o.body : '');
      requests.push(q);
      const ids = [pinned, ...Array.from({ length: total }, (_, i) => total - i).filter((id) => id !== pinned)];
      const offset = Number(q.get('offset'));
      const items = ids.slice(offset, offset + Number(q.get('count'))).map((id) => ({ id, owner_id: -7, from_id: -7, date: 1763730000 + id, text: `post ${id}`, ...(id === pinned ? { is_pinned: 1 } : {}) }));
      return { response: { count: ids.length, items } };
    })
    .persist();
  return agent;
}

const make = (agent: MockAgent, options: Record<string, unknown> = {}) =>
  new VkWallConnector(
    { id: 'vk-city', type: 'vk-wall', options: vkWallOptionsSchema.parse({ ownerId: -7, pageSize: 10, overlap: 2, ...options }) },
    { resolvePath: (p) => p, now: () => new Date('2026-11-21T10:00:00Z'), secret: (n) => (n === 'VK_TOKEN' ? TOKEN : undefined), http: agent },
  );

describe('VK wall.get connector', () => {
  it('pages with overlap until the oldest unpinned post is one it has seen; the old pinned post never stops it early', async () => {
    const requests: URLSearchParams[] = [];
    const c = make(wall(30, 3, requests));
    const r = await c.poll({ maxSeenId: 12, checkedAt: 1, tracked: [] }, { limit: 100 });
    const ids = r.items.map((i) => (i.ok ? i.post.id : i.ref));
    expect(ids).toEqual(Array.from({ length: 18 }, (_, i) => `vk:-7_${13 + i}`));
    expect(requests.map((q) => q.get('offset'))).toEqual(['0', '8', '16']);
    expect(requests[0]?.get('v')).toBe('5.199');
    expect(requests[0]?.get('owner_id')).toBe('-7');
    expect(r.nextCursor.maxSeenId).toBe(30);
  });

  it('the first poll takes only the newest posts up to the backlog, oldest first', async () => {
    const c = make(wall(30, 3, []), { bootstrapBacklog: 5 });
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
      const agent = new MockAgent();
      agent.disableNetConnect();
      agent.get('https://api.vk.ru').intercept({ path: '/method/wall.get', method: 'POST' }).reply(200, { error: { error_code: code, error_msg: 'x', request_params: [{ key: 'access_token', value: TOKEN }] } });
      const err = await make(agent).poll({ maxSeenId: 1, checkedAt: 1, tracked: [] }, { limit: 10 }).catch((e: unknown) => e);
      expect(err).toMatchObject(expected);
      expect(String(err) + JSON.stringify(err)).not.toContain(TOKEN);
    }
  });
});
