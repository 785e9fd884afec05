import { describe, expect, it } from 'vitest';
import { VkWallConnector, vkWallOptionsSchema, type VkWallCursor } from '../../../../connectors/vk/vk-wall.connector.js';
import type { PollItem } from '../../../../src/connector/connector.js';
import { FakeVk, VK_COMMUNITY_ID, VK_COMMUNITY_TOKEN, VK_OTHER_COMMUNITY_TOKEN, VK_TOKEN, VK_USER_TOKEN } from '../../../fixtures/vk.js';

const OWNER = -VK_COMMUNITY_ID;

function setup(options: Record<string, unknown> = {}) {
  const vk = new FakeVk();
  const secrets: Record<string, string> = { VK_TOKEN, VK_USER: VK_USER_TOKEN, ENSK_VK: VK_COMMUNITY_TOKEN, OTHER_VK: VK_OTHER_COMMUNITY_TOKEN };
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
  it('reads new comments and thread replies under watched posts, full texts, each once; a service token reads call by call', async () => {
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
    // VK refuses a service token `execute` (schema access_token_type: user, group).
    expect(s.vk.calls).not.toContain('execute');
    expect(posts(await s.poll())).toEqual([]);
    s.vk.comment(OWNER, 1, 'Уже заделали');
    expect(posts(await s.poll()).map((p) => p.text)).toEqual(['Уже заделали']);
  });

  it('with a user token the comment reads of many posts go in one execute', async () => {
    const s = setup({ tokenType: 'user', tokenSecret: 'VK_USER' });
    for (let i = 1; i <= 5; i++) s.vk.publish(OWNER, i, `пост ${i}`);
    await s.poll();
    for (let i = 1; i <= 5; i++) s.vk.comment(OWNER, i, `комментарий к ${i}`);
    const before = s.vk.calls.length;
    expect(posts(await s.poll())).toHaveLength(5);
    expect(s.vk.calls.slice(before).filter((m) => m === 'execute')).toHaveLength(1);
    expect(s.vk.log.every((c) => c.token === 'user')).toBe(true);
  });

  it('a new reply under an older top-level comment is read, and only once', async () => {
    const s = setup();
    s.vk.publish(OWNER, 1, 'Отключили свет');
    await s.poll();
    const old = s.vk.comment(OWNER, 1, 'Когда дадут?');
    s.vk.comment(OWNER, 1, 'У нас тоже нет');
    s.vk.comment(OWNER, 1, 'И в соседнем доме');
    expect(posts(await s.poll())).toHaveLength(3);
    // Later: a reply to the first comment, while newer top-level comments exist.
    s.vk.comment(OWNER, 1, 'Обещали к вечеру', old.id);
    const got = posts(await s.poll());
    expect(got.map((p) => p.text)).toEqual(['Обещали к вечеру']);
    expect(posts(await s.poll())).toEqual([]);
    // And once more, in a thread that already has replies.
    s.vk.comment(OWNER, 1, 'Так и не дали', old.id);
    expect(posts(await s.poll()).map((p) => p.text)).toEqual(['Так и не дали']);
  });

  it('more new top-level comments than a page are all read in one poll', async () => {
    const s = setup();
    s.vk.publish(OWNER, 1, 'Опрос: что починить первым?');
    await s.poll();
    for (let i = 0; i < 230; i++) s.vk.comment(OWNER, 1, `двор ${i}`);
    expect(new Set(posts(await s.poll()).map((p) => p.id)).size).toBe(230);
    s.vk.comment(OWNER, 1, 'ещё один');
    expect(posts(await s.poll()).map((p) => p.text)).toEqual(['ещё один']);
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

  it('answers a comment in its thread under the post its link names, without wall.getComment (user tokens only)', async () => {
    const s = setup();
    s.vk.publish(OWNER, 5, 'Пост');
    await s.poll();
    s.vk.comment(OWNER, 5, 'Жалоба');
    const comment = posts(await s.poll())[0];
    if (!comment) throw new Error('no comment');
    await s.c.reply({ postId: comment.id, ...(comment.permalink ? { permalink: comment.permalink } : {}), idempotencyKey: 'inc-2.1', credentialsRef: 'ENSK_VK' }, 'Ответ');
    expect([...s.vk.answers.values()][0]).toMatchObject({ post_id: 5, reply_to_comment: Number(comment.id.split('_c')[1]), from_group: VK_COMMUNITY_ID });
    expect(s.vk.calls).not.toContain('wall.getComment');
  });

  it('a comment without its link is refused clearly, not guessed', async () => {
    const s = setup();
    s.vk.publish(OWNER, 5, 'Пост');
    const c = s.vk.comment(OWNER, 5, 'Жалоба');
    await expect(s.c.reply({ postId: `vk:${OWNER}_c${c.id}`, idempotencyKey: 'inc-2.2', credentialsRef: 'ENSK_VK' }, 'Ответ')).rejects.toMatchObject({ code: 'REPLY_NOT_POSSIBLE', retryable: false });
    expect(s.vk.answers.size).toBe(0);
  });

  it('answers as the community whose token it holds; on another community\'s wall it refuses, saying why', async () => {
    const s = setup();
    s.vk.publish(OWNER, 5, 'Пост на стене Энска');
    const err = await s.c.reply({ postId: `vk:${OWNER}_5`, idempotencyKey: 'inc-3.1', credentialsRef: 'OTHER_VK' }, 'Ответ').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'REPLY_NOT_POSSIBLE', details: { reason: 'foreign-wall', community: 330000777, wall: OWNER } });
    expect(s.vk.calls).not.toContain('wall.createComment');
    await s.c.reply({ postId: `vk:${OWNER}_5`, idempotencyKey: 'inc-3.2', credentialsRef: 'ENSK_VK' }, 'Ответ');
    expect([...s.vk.answers.values()]).toMatchObject([{ from_group: VK_COMMUNITY_ID, post_id: 5 }]);
    // The community behind a token is asked once.
    await s.c.reply({ postId: `vk:${OWNER}_5`, idempotencyKey: 'inc-3.3', credentialsRef: 'ENSK_VK' }, 'Ещё ответ');
    expect(s.vk.calls.filter((m) => m === 'groups.getById')).toHaveLength(2);
  });

  it('needs a community token: without the body\'s credentials, or with the service token, a typed error and no token in it', async () => {
    const s = setup();
    s.vk.publish(OWNER, 5, 'Пост');
    await expect(s.c.reply({ postId: `vk:${OWNER}_5`, idempotencyKey: 'k' }, 'x')).rejects.toMatchObject({ code: 'PLATFORM_AUTH_FAILED' });
    const err = await s.c.reply({ postId: `vk:${OWNER}_5`, idempotencyKey: 'k', credentialsRef: 'VK_TOKEN' }, 'x').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PLATFORM_AUTH_FAILED' });
    expect(String(err)).toContain('community token');
    expect(JSON.stringify(err) + String(err)).not.toContain(VK_TOKEN);
    expect(s.vk.answers.size).toBe(0);
  });
});
