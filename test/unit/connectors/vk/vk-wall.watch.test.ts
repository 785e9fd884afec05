import { describe, expect, it } from 'vitest';
import { VkWallConnector, vkWallOptionsSchema, type VkWallCursor } from '../../../../connectors/vk/vk-wall.connector.js';
import type { PollItem } from '../../../../src/connector/connector.js';
import { FakeVk, VK_COMMUNITY_TOKEN, VK_TOKEN } from '../../../fixtures/vk.js';

const OWNER = -210345001;

function setup(options: Record<string, unknown> = {}) {
  const vk = new FakeVk();
  const secrets: Record<string, string> = { VK_TOKEN, ENSK_VK: VK_COMMUNITY_TOKEN };
  const c = new VkWallConnector(
    { id: 'vk-city', type: 'vk-wall', territory: 'г. Энск', options: vkWallOptionsSchema.parse({ ownerId: OWNER, pageSize: 10, overlap: 2, ...options }) },
    { resolvePath: (p) => p, now: () => new Date('2026-11-21T10:00:00Z'), secret: (n) => secrets[n], http: vk.http },
  );
  let cursor: VkWallCursor = c.initialCursor();
  const poll = async () => {
    const r = await c.poll(cursor, { limit: 100 });
    cursor = r.nextCursor;
    return r.items;
  };
  return { vk, c, poll, cursor: () => cursor };
}

const posts = (items: PollItem[]) => items.flatMap((i) => (i.ok ? [i.post] : []));

describe('VK wall: comments, threads, deletions', () => {
  it('reads new comments and thread replies under watched posts, full texts, each once', async () => {
    const s = setup();
    s.vk.publish(OWNER, 1, 'На Ленина яма');
    await s.poll();
    const top = s.vk.comment(OWNER, 1, 'Подтверждаю, '.repeat(20) + 'колесо пробил');
    s.vk.comment(OWNER, 1, 'И у меня', top.id);
    const second = posts(await s.poll());
    expect(second.map((p) => [p.id, p.kind, p.parentId])).toEqual([
      [`vk:${OWNER}_c${top.id}`, 'comment', `vk:${OWNER}_1`],
      [`vk:${OWNER}_c${top.id + 1}`, 'comment', `vk:${OWNER}_1`],
    ]);
    expect(second[0]?.text.length).toBeGreaterThan(90);
    // Comment reads went through one execute, not a call per post.
    expect(s.vk.calls.filter((m) => m === 'execute')).toHaveLength(1);
    expect(posts(await s.poll())).toEqual([]);
    s.vk.comment(OWNER, 1, 'Уже заделали');
    expect(posts(await s.poll()).map((p) => p.text)).toEqual(['Уже заделали']);
  });

  it('a thread longer than the ten inlined replies is read whole with comment_id', async () => {
    const s = setup();
    s.vk.publish(OWNER, 1, 'Отключили воду');
    await s.poll();
    const top = s.vk.comment(OWNER, 1, 'Когда включат?');
    for (let i = 0; i < 14; i++) s.vk.comment(OWNER, 1, `ответ ${i}`, top.id);
    const got = posts(await s.poll());
    expect(new Set(got.map((p) => p.id)).size).toBe(15);
  });

  it('one post whose comments cannot be read does not stop the others; it is read next time', async () => {
    const s = setup();
    s.vk.publish(OWNER, 1, 'пост 1');
    s.vk.publish(OWNER, 2, 'пост 2');
    await s.poll();
    s.vk.comment(OWNER, 1, 'к первому');
    s.vk.comment(OWNER, 2, 'ко второму');
    s.vk.failing.set('wall.getComments', { error_code: 10, error_msg: 'Internal server error' });
    expect(posts(await s.poll())).toEqual([]);
    s.vk.failing.clear();
    expect(posts(await s.poll()).map((p) => p.text).sort()).toEqual(['ко второму', 'к первому'].sort());
  });

  it('a post missing from two reads in a row becomes a tombstone with its last text; one miss is not enough', async () => {
    const s = setup();
    s.vk.publish(OWNER, 1, 'Мусор не вывозят');
    s.vk.publish(OWNER, 2, 'Второй');
    await s.poll();
    s.vk.posts.delete(`${OWNER}_1`);
    expect(posts(await s.poll())).toEqual([]);
    const gone = posts(await s.poll());
    expect(gone).toHaveLength(1);
    expect(gone[0]).toMatchObject({ id: `vk:${OWNER}_1`, text: 'Мусор не вывозят', deletedAt: '2026-11-21T10:00:00.000Z', territory: 'г. Энск' });
    expect(s.vk.calls).toContain('wall.getById');
    expect(posts(await s.poll())).toEqual([]);
    expect(s.cursor().tracked.map((t) => t.id)).toEqual([2]);
  });

  it('a post that comes back after one miss is kept, not tombstoned', async () => {
    const s = setup();
    const p = s.vk.publish(OWNER, 1, 'Временно скрыт');
    await s.poll();
    s.vk.posts.delete(`${OWNER}_1`);
    await s.poll();
    s.vk.posts.set(`${OWNER}_1`, p);
    expect(posts(await s.poll())).toEqual([]);
    expect(s.cursor().tracked[0]).toMatchObject({ id: 1, misses: 0 });
  });
});

describe('VK wall: official answers', () => {
  it('answers as the community with a guid: a retried answer posts once', async () => {
    const s = setup();
    s.vk.publish(OWNER, 5, 'Яма');
    const target = { postId: `vk:${OWNER}_5`, idempotencyKey: 'inc-1.3', credentialsRef: 'ENSK_VK' };
    const a = await s.c.reply(target, 'Здравствуйте! Заявка передана в дорожную службу.');
    const b = await s.c.reply(target, 'Здравствуйте! Заявка передана в дорожную службу.');
    expect(b).toEqual(a);
    expect(s.vk.answers.size).toBe(1);
    expect([...s.vk.answers.values()][0]).toMatchObject({ from_group: -OWNER, post_id: 5 });
    expect(a.url).toBe(`https://vk.com/wall${OWNER}_5?reply=${a.platformId.split('_c')[1]}`);
  });

  it('answers a comment in its thread (reply_to_comment under the comment\'s post)', async () => {
    const s = setup();
    s.vk.publish(OWNER, 5, 'Пост');
    const c = s.vk.comment(OWNER, 5, 'Жалоба');
    await s.c.reply({ postId: `vk:${OWNER}_c${c.id}`, idempotencyKey: 'inc-2.1', credentialsRef: 'ENSK_VK' }, 'Ответ');
    expect([...s.vk.answers.values()][0]).toMatchObject({ post_id: 5, reply_to_comment: c.id });
  });

  it('needs a community token: without the body\'s credentials, or with the service token, a typed error and no token in it', async () => {
    const s = setup();
    s.vk.publish(OWNER, 5, 'Пост');
    await expect(s.c.reply({ postId: `vk:${OWNER}_5`, idempotencyKey: 'k' }, 'x')).rejects.toMatchObject({ code: 'PLATFORM_AUTH_FAILED' });
    const err = await s.c.reply({ postId: `vk:${OWNER}_5`, idempotencyKey: 'k', credentialsRef: 'VK_TOKEN' }, 'x').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PLATFORM_AUTH_FAILED', details: { platformCode: 28 } });
    expect(JSON.stringify(err) + String(err)).not.toContain(VK_TOKEN);
  });
});
