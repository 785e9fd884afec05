import { describe, expect, it } from 'vitest';
import { OkGroupConnector, okGroupOptionsSchema, type OkGroupCursor } from '../../../../connectors/ok/ok-group.connector.js';
import type { PollItem } from '../../../../src/connector/connector.js';
import { FakeOk, OK_CREDENTIALS } from '../../../fixtures/ok.js';

const GID = '53038939046008';

function setup(options: Record<string, unknown> = {}, secrets: Record<string, string> = OK_CREDENTIALS) {
  const ok = new FakeOk();
  const c = new OkGroupConnector(
    { id: 'ok-city', type: 'ok-group', territory: 'г. Энск', options: okGroupOptionsSchema.parse({ groupId: GID, pageSize: 5, ...options }) },
    { resolvePath: (p) => p, now: () => new Date('2026-11-21T10:00:00Z'), secret: (n) => secrets[n], http: ok.http },
  );
  let cursor: OkGroupCursor = c.initialCursor();
  const poll = async () => {
    const r = await c.poll(cursor, { limit: 100 });
    cursor = r.nextCursor;
    return r.items;
  };
  return { ok, c, poll };
}
const posts = (items: PollItem[]) => items.flatMap((i) => (i.ok ? [i.post] : []));

describe('OK group', () => {
  it('lists topics through signed requests, string ids and millisecond times kept exact, oldest first', async () => {
    const s = setup();
    for (let i = 1; i <= 12; i++) s.ok.publish(GID, `15543628821${String(i).padStart(4, '0')}`, `Тема ${i}`, 1763730000123 + i * 60_000);
    const got = posts(await s.poll());
    expect(got).toHaveLength(12);
    expect(got[0]).toMatchObject({ id: `ok:${GID}:155436288210001`, text: 'Тема 1', createdAt: '2025-11-21T13:01:00.123Z', permalink: `https://ok.ru/group/${GID}/topic/155436288210001`, territory: 'г. Энск' });
    expect(posts(await s.poll())).toEqual([]);
    s.ok.publish(GID, '155436288219999', 'Новая тема');
    expect(posts(await s.poll()).map((p) => p.text)).toEqual(['Новая тема']);
  });

  it('a wrong secret is a signature error that stops the source, without any secret in the message', async () => {
    const s = setup({}, { ...OK_CREDENTIALS, OK_APPLICATION_SECRET_KEY: 'WRONG' });
    s.ok.publish(GID, '155436288210001', 'Тема');
    const err = await s.poll().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PLATFORM_AUTH_FAILED', details: { platformCode: 104 } });
    for (const secret of Object.values(OK_CREDENTIALS)) expect(JSON.stringify(err) + String(err)).not.toContain(secret);
  });

  it('group.getStatTopics (for administrators) lists ids, texts come from mediatopic.getByIds', async () => {
    const s = setup({ listMethod: 'group.getStatTopics' });
    s.ok.publish(GID, '155436288210001', 'Тема 1');
    s.ok.publish(GID, '155436288210002', 'Тема 2');
    expect(posts(await s.poll()).map((p) => p.text)).toEqual(['Тема 1', 'Тема 2']);
    expect(s.ok.calls).toContain('mediatopic.getByIds');
  });

  it('new comments are read from the newest backwards until a known one, each once', async () => {
    const s = setup();
    s.ok.publish(GID, '155436288210001', 'Отключили свет');
    await s.poll();
    for (let i = 0; i < 130; i++) s.ok.comment('155436288210001', `коммент ${i}`);
    const first = posts(await s.poll());
    expect(first).toHaveLength(130);
    expect(first[0]).toMatchObject({ kind: 'comment', parentId: `ok:${GID}:155436288210001`, text: 'коммент 0' });
    expect(first[0]?.id).toMatch(/^ok:155436288210001:c/);
    s.ok.comment('155436288210001', 'ещё один');
    const before = s.ok.calls.length;
    expect(posts(await s.poll()).map((p) => p.text)).toEqual(['ещё один']);
    expect(s.ok.calls.slice(before).filter((m) => m === 'discussions.getComments')).toHaveLength(1);
  });

  it('comments take their time from OK\'s Moscow `date`: right instant, oldest first, an older one ends the reading', async () => {
    const s = setup();
    s.ok.publish(GID, '155436288210001', 'Отключили свет');
    await s.poll();
    const a = s.ok.comment('155436288210001', 'первый');
    const b = s.ok.comment('155436288210001', 'второй');
    const got = posts(await s.poll());
    expect(got.map((p) => [p.text, p.createdAt])).toEqual([
      ['первый', new Date(a.atMs).toISOString()],
      ['второй', new Date(b.atMs).toISOString()],
    ]);
    // The raw comment is as OK sends it: a local time string, no millisecond field.
    expect(got[0]?.raw).toMatchObject({ date: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/) });
    expect(got[0]?.raw).not.toHaveProperty('date_ms');
  });

  it('group.getStatTopics pages with its anchor only (it documents no direction)', async () => {
    const s = setup({ listMethod: 'group.getStatTopics', pageSize: 5 });
    for (let i = 1; i <= 12; i++) s.ok.publish(GID, `15543628821${String(i).padStart(4, '0')}`, `Тема ${i}`);
    expect(posts(await s.poll())).toHaveLength(12);
    const stat = s.ok.origin.requests.map((r) => new URLSearchParams(r.body)).filter((q) => q.get('method') === 'group.getStatTopics');
    expect(stat.length).toBeGreaterThan(1);
    expect(stat.every((q) => !q.has('direction'))).toBe(true);
  });

  it('text in a topic\'s fourth media block is read (several ids allow at most 3 blocks; one alone comes whole)', async () => {
    for (const listMethod of ['mediatopic.getTopics', 'group.getStatTopics'] as const) {
      const s = setup({ listMethod });
      s.ok.publish(GID, '155436288210001', 'Во дворе', undefined, [{ type: 'photo' }, { type: 'link' }, { type: 'text', text: 'третью неделю не вывозят мусор' }]);
      s.ok.publish(GID, '155436288210002', 'Короткая тема');
      const got = posts(await s.poll());
      expect(got.map((p) => p.text).sort(), listMethod).toEqual(['Во дворе\nтретью неделю не вывозят мусор', 'Короткая тема']);
      // An edit of the fourth block is seen too (re-reads go through the same path).
      const t = s.ok.topics.get('155436288210001');
      if (t?.more?.[2]) t.more[2].text = 'мусор вывезли';
      expect(posts(await s.poll()).map((p) => p.text), listMethod).toEqual(['Во дворе\nмусор вывезли']);
    }
  });

  it('an edited topic (OK has no edit marker) comes back as a new revision; a vanished one becomes a tombstone after two reads', async () => {
    const s = setup({ pageSize: 5 });
    for (let i = 1; i <= 3; i++) s.ok.publish(GID, `15543628821000${i}`, `Тема ${i}`);
    await s.poll();
    const t = s.ok.topics.get('155436288210002');
    if (t) t.text = 'Тема 2 (исправлено)';
    const edited = posts(await s.poll());
    expect(edited.map((p) => [p.id, p.text])).toEqual([[`ok:${GID}:155436288210002`, 'Тема 2 (исправлено)']]);
    s.ok.topics.delete('155436288210001');
    expect(posts(await s.poll())).toEqual([]);
    expect(posts(await s.poll())).toMatchObject([{ id: `ok:${GID}:155436288210001`, text: 'Тема 1', deletedAt: '2026-11-21T10:00:00.000Z' }]);
  });

  it('answers as the group administrator; a retry after a lost response does not post twice', async () => {
    const s = setup();
    s.ok.publish(GID, '155436288210001', 'Яма');
    const target = { postId: `ok:${GID}:155436288210001`, idempotencyKey: 'inc.2' };
    const a = await s.c.reply(target, 'Передано в дорожную службу');
    const b = await s.c.reply(target, 'Передано в дорожную службу');
    expect(b.platformId).toBe(a.platformId);
    expect(s.ok.comments.filter((c) => c.author_id === 'group')).toHaveLength(1);
    const added = s.ok.origin.requests.find((r) => r.body.includes('addDiscussionComment'));
    expect(new URLSearchParams(added?.body).get('as_admin')).toBe('true');
  });
});
