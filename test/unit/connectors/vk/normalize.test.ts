import { describe, expect, it } from 'vitest';
import { normalizeVkComment, normalizeVkPost } from '../../../../connectors/vk/normalize.js';

const ctx = { sourceId: 'vk-main', capturedAt: '2026-11-21T10:00:00.000Z', territory: 'Энск' };
// Shapes as in the platform reference, wall.get example.
const post = {
  id: 5103, owner_id: -123456, from_id: 73281234, date: 1763730120, post_type: 'post', type: 'post',
  text: 'Подскажите, у кого был опыт с доставкой?', attachments: [],
  comments: { can_post: 1, count: 2, groups_can_post: true }, likes: { can_like: 1, count: 1, user_likes: 0 },
  reposts: { count: 0, user_reposted: 0 }, views: { count: 96 }, edited: 1763730500,
};

describe('VK normalisation', () => {
  it('maps a wall post to the stable id, UTC times, permalink and counts', () => {
    const p = normalizeVkPost(post, ctx);
    expect(p).toMatchObject({
      id: 'vk:-123456_5103', platform: 'vk', kind: 'post', community: { id: '-123456' }, author: { id: '73281234', kind: 'user' },
      createdAt: '2025-11-21T13:02:00.000Z', editedAt: '2025-11-21T13:08:20.000Z', permalink: 'https://vk.com/wall-123456_5103',
      engagement: { likes: 1, reposts: 0, comments: 2, views: 96 }, territory: 'Энск',
    });
    expect(p.raw).toBe(post);
  });

  it('gives an edit a new revision of the same post', () => {
    const a = normalizeVkPost(post, ctx);
    const b = normalizeVkPost({ ...post, text: post.text + ' Уже не надо.', edited: 1763731000 }, ctx);
    expect(b.id).toBe(a.id);
    expect(b.revision).not.toBe(a.revision);
    expect(normalizeVkPost(post, ctx).revision).toBe(a.revision);
  });

  it('marks community authors and keeps no names', () => {
    const p = normalizeVkPost({ ...post, from_id: -123456 }, ctx);
    expect(p.author).toEqual({ id: '-123456', kind: 'community' });
  });

  it('maps a comment with its parent post and reply permalink', () => {
    const c = normalizeVkComment({ id: 5110, owner_id: -123456, post_id: 5103, from_id: 1, date: 1763730200, text: 'Спасибо', parents_stack: [] }, ctx);
    expect(c).toMatchObject({ id: 'vk:-123456_c5110', kind: 'comment', parentId: 'vk:-123456_5103', permalink: 'https://vk.com/wall-123456_5103?reply=5110' });
  });

  it('rejects a payload of the wrong shape with the field named', () => {
    expect(() => normalizeVkPost({ ...post, date: 'yesterday' }, ctx)).toThrow(/vk payload invalid at date/);
    expect(() => normalizeVkPost(null, ctx)).toThrow(expect.objectContaining({ code: 'POST_INVALID' }));
  });
});
