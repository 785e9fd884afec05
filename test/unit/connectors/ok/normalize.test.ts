import { describe, expect, it } from 'vitest';
import { normalizeOkComment, normalizeOkTopic } from '../../../../connectors/ok/normalize.js';

const ctx = { sourceId: 'ok-main', capturedAt: '2026-11-21T10:00:00.000Z' };
const topic = {
  id: '155436288212345', created_ms: 1763730000000, owner_ref: 'group:53038939046008', author_ref: 'group:53038939046008',
  media: [{ type: 'text', text: 'Скидки на доставку до конца недели' }, { type: 'photo' }],
  discussion_summary: { comments_count: 7 }, like_summary: { count: 42 }, reshare_summary: { count: 1 },
};

describe('OK normalisation', () => {
  it('maps a media topic: text from media items, milliseconds to UTC, string ids', () => {
    expect(normalizeOkTopic(topic, ctx)).toMatchObject({
      id: 'ok:53038939046008:155436288212345', text: 'Скидки на доставку до конца недели', createdAt: '2025-11-21T13:00:00.000Z',
      community: { id: '53038939046008' }, author: { id: '53038939046008', kind: 'community' },
      permalink: 'https://ok.ru/group/53038939046008/topic/155436288212345', engagement: { likes: 42, reposts: 1, comments: 7 },
    });
  });

  it('accepts numeric ids and normalises them to strings', () => {
    expect(normalizeOkTopic({ ...topic, id: 155436288212345 }, ctx).id).toBe('ok:53038939046008:155436288212345');
  });

  it('maps a comment with its topic as parent', () => {
    const c = normalizeOkComment(
      { id: 'MTc2MzczMTAwMDAwMDoxMjM0', author_id: '578123456789', text: 'Когда будет доставка в Казань?', date: '2026-11-21 16:30:00', date_ms: 1763731800000 },
      { ...ctx, groupId: '53038939046008', topicId: '155436288212345' },
    );
    expect(c).toMatchObject({ id: 'ok:155436288212345:cMTc2MzczMTAwMDAwMDoxMjM0', parentId: 'ok:53038939046008:155436288212345', createdAt: '2025-11-21T13:30:00.000Z' });
  });

  it('rejects a topic without an owner group', () => {
    expect(() => normalizeOkTopic({ ...topic, owner_ref: 'user:1' }, ctx)).toThrow(/ok payload invalid at owner_ref/);
  });
});
