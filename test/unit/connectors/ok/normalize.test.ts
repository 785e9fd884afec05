import { describe, expect, it } from 'vitest';
import { normalizeOkComment, normalizeOkTopic, okCommentTimeMs } from '../../../../connectors/ok/normalize.js';

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

  it('maps a comment with its topic as parent; its time is OK\'s `date`, Moscow local time (no date_ms is sent)', () => {
    // Shape from platform reference 2.4 (corrected) and oland-dmd/Odnoklassniki's Comment record.
    const c = normalizeOkComment(
      { id: 'MTc2MzczMTAwMDAwMDoxMjM0', author_id: '578123456789', text: 'Когда будет доставка в Казань?', date: '2026-11-21 16:30:00', reply_to_comment_id: null, reply_to_id: null, like_count: 0 },
      { ...ctx, groupId: '53038939046008', topicId: '155436288212345' },
    );
    expect(c).toMatchObject({ id: 'ok:155436288212345:cMTc2MzczMTAwMDAwMDoxMjM0', parentId: 'ok:53038939046008:155436288212345', createdAt: '2026-11-21T13:30:00.000Z' });
  });

  it('reads Moscow time across midnight and the new year, and prefers an exact millisecond time when one is sent', () => {
    expect(okCommentTimeMs({ date: '2027-01-01 02:15:00' })).toBe(Date.parse('2026-12-31T23:15:00Z'));
    expect(okCommentTimeMs({ date: '2026-07-01 12:00:00' })).toBe(Date.parse('2026-07-01T09:00:00Z'));
    expect(okCommentTimeMs({ date: '2026-11-21 16:30:00', created_ms: 1763731800123 })).toBe(1763731800123);
  });

  it('a comment without a readable time is refused with the reason, not given a made-up time', () => {
    const gctx = { ...ctx, groupId: '1', topicId: '2' };
    expect(() => normalizeOkComment({ id: 'a1', text: 'x' }, gctx)).toThrow(/ok payload invalid at date/);
    expect(() => normalizeOkComment({ id: 'a1', text: 'x', date: '21.11.2026 16:30' }, gctx)).toThrow(/ok payload invalid at date/);
    expect(() => normalizeOkComment({ id: 'a1', text: 'x', date: '2026-02-31 10:00:00' }, gctx)).toThrow(/ok payload invalid at date/);
  });

  it('rejects a topic without an owner group', () => {
    expect(() => normalizeOkTopic({ ...topic, owner_ref: 'user:1' }, ctx)).toThrow(/ok payload invalid at owner_ref/);
  });
});
