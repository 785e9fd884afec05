import { describe, expect, it } from 'vitest';
import { writeFileSync, appendFileSync } from 'node:fs';
import { ReplayConnector } from '../../../../connectors/replay/replay.connector.js';
import { writeCorpus } from '../../../helpers/corpus.js';
import type { PollItem } from '../../../../src/connector/connector.js';

const env = { resolvePath: (p: string) => p, now: () => new Date('2026-11-21T10:00:00Z'), secret: () => undefined };
const vkPost = (id: number, text = `Яма на дороге ${id}`) =>
  JSON.stringify({ platform: 'vk', kind: 'post', item: { id, owner_id: -1, from_id: 5, date: 1763730000 + id, text } });

function connector(file: string, ratePerSecond = 0) {
  return new ReplayConnector({ id: 'r', type: 'replay', territory: 'Энск', options: { file, ratePerSecond } }, env);
}
const ids = (items: PollItem[]) => items.map((i) => (i.ok ? i.post.id : `bad:${i.ref}`));

describe('ReplayConnector', () => {
  it('reads pages from the cursor and resumes exactly where it stopped', async () => {
    const file = writeCorpus([1, 2, 3, 4, 5].map((i) => vkPost(i)));
    const c = connector(file);
    const p1 = await c.poll(c.initialCursor(), { limit: 2 });
    expect(ids(p1.items)).toEqual(['vk:-1_1', 'vk:-1_2']);
    expect(p1.more).toBe(true);
    const p2 = await c.poll(p1.nextCursor, { limit: 10 });
    expect(ids(p2.items)).toEqual(['vk:-1_3', 'vk:-1_4', 'vk:-1_5']);
    expect(p2.more).toBe(false);
    const p3 = await c.poll(p2.nextCursor, { limit: 10 });
    expect(p3.items).toEqual([]);
    expect(p3.nextCursor).toEqual(p2.nextCursor);
  });

  it('stamps territory, source and capture time on each post', async () => {
    const c = connector(writeCorpus([vkPost(1)]));
    const [item] = (await c.poll(c.initialCursor(), { limit: 1 })).items;
    expect(item?.ok && item.post).toMatchObject({ sourceId: 'r', territory: 'Энск', capturedAt: '2026-11-21T10:00:00.000Z', platform: 'vk' });
  });

  it('turns a malformed line into a rejected item naming file and line, and keeps going', async () => {
    const file = writeCorpus([vkPost(1), '{"platform":"vk","kind":"post","item":{"id":2', vkPost(3), '{"platform":"myspace","item":{}}']);
    const c = connector(file);
    const page = await c.poll(c.initialCursor(), { limit: 10 });
    expect(ids(page.items)).toEqual(['vk:-1_1', 'bad:line-2', 'vk:-1_3', 'bad:line-4']);
    const bad = page.items.filter((i) => !i.ok);
    expect(bad[0]?.ok === false && bad[0].error.code).toBe('REPLAY_LINE_MALFORMED');
    expect(bad[0]?.ok === false && bad[0].error.message).toContain(`${file}:2`);
    expect(bad[1]?.ok === false && bad[1].error.details.field).toBe('platform');
  });

  it('names the missing field of a post that lacks one', async () => {
    const c = connector(writeCorpus([JSON.stringify({ platform: 'vk', kind: 'post', item: { id: 7, owner_id: -1, text: 'без даты' } })]));
    const [item] = (await c.poll(c.initialCursor(), { limit: 1 })).items;
    expect(item?.ok).toBe(false);
    if (item && !item.ok) {
      expect(item.error.code).toBe('POST_INVALID');
      expect(item.error.details).toMatchObject({ field: 'date', line: 1 });
    }
  });

  it('does not read a half-written last line until the file is complete, handles CRLF and blank lines', async () => {
    const file = writeCorpus([vkPost(1)]);
    writeFileSync(file, `${vkPost(1)}\r\n\r\n${vkPost(2).slice(0, 20)}`);
    const c = connector(file);
    const p1 = await c.poll(c.initialCursor(), { limit: 1 });
    expect(ids(p1.items)).toEqual(['vk:-1_1']);
    // The tail without a newline is returned once it is the end of the file.
    appendFileSync(file, vkPost(2).slice(20) + '\n' + vkPost(3));
    const p2 = await c.poll(p1.nextCursor, { limit: 10 });
    expect(ids(p2.items)).toEqual(['vk:-1_2', 'vk:-1_3']);
  });

  it('declares its rate: 0 plays as fast as the pipeline takes it', () => {
    expect(connector('x', 0).itemsPerSecond).toBeUndefined();
    expect(connector('x', 40).itemsPerSecond).toBe(40);
  });

  it('fails with a typed, retryable error when the file cannot be read', async () => {
    const c = connector('/nonexistent/corpus.jsonl');
    await expect(c.poll(c.initialCursor(), { limit: 1 })).rejects.toMatchObject({ code: 'REPLAY_FILE_UNREADABLE', retryable: true });
  });
});
