import { describe, expect, it } from 'vitest';
import { normalizeTgUpdate } from '../../../../connectors/telegram/normalize.js';

const ctx = { sourceId: 'tg', capturedAt: '2026-11-21T10:00:00.000Z' };
const channel = { id: -1001734567890, title: 'Acme News', username: 'acme_news', type: 'channel' };
const chat = { id: -1001987654321, title: 'Acme News Chat', username: 'acme_news_chat', type: 'supergroup' };

describe('Telegram normalisation', () => {
  it('maps a channel post', () => {
    const p = normalizeTgUpdate({ update_id: 1, channel_post: { message_id: 1482, sender_chat: channel, chat: channel, date: 1763734000, text: 'Запустили доставку' } }, ctx);
    expect(p).toMatchObject({ id: 'tg:-1001734567890:1482', kind: 'post', permalink: 'https://t.me/acme_news/1482', author: { kind: 'community' } });
  });

  it('maps a discussion-group comment to its thread root', () => {
    const p = normalizeTgUpdate(
      { update_id: 2, message: { message_id: 9052, message_thread_id: 9051, from: { id: 51234567, is_bot: false, first_name: 'Мария' }, chat, date: 1763734100, text: 'А в Иннополис когда?' } },
      ctx,
    );
    expect(p).toMatchObject({ id: 'tg:-1001987654321:9052', kind: 'comment', parentId: 'tg:-1001987654321:9051', author: { id: '51234567', kind: 'user' } });
    expect(p?.author).not.toHaveProperty('first_name');
  });

  it('treats an edited channel post as a new revision of the same post', () => {
    const a = normalizeTgUpdate({ update_id: 1, channel_post: { message_id: 1482, chat: channel, date: 1763734000, text: 'Запустили доставку' } }, ctx);
    const b = normalizeTgUpdate({ update_id: 4, edited_channel_post: { message_id: 1482, chat: channel, date: 1763734000, edit_date: 1763734600, text: 'Запустили доставку в Иннополисе' } }, ctx);
    expect(b?.id).toBe(a?.id);
    expect(b?.revision).not.toBe(a?.revision);
    expect(b?.editedAt).toBe('2025-11-21T14:16:40.000Z');
  });

  it('uses the caption of media messages and the c/ link for private supergroups', () => {
    const p = normalizeTgUpdate({ update_id: 5, message: { message_id: 7, chat: { id: -1005555, type: 'supergroup' }, date: 1763734000, caption: 'Фото ямы' } }, ctx);
    expect(p).toMatchObject({ text: 'Фото ямы', permalink: 'https://t.me/c/5555/7' });
  });

  it('ignores updates it does not monitor and rejects placeholders', () => {
    expect(normalizeTgUpdate({ update_id: 9, my_chat_member: {} }, ctx)).toBeNull();
    expect(() => normalizeTgUpdate({ update_id: 9, message: { message_id: 0, chat, date: 1763734000, text: 'x' } }, ctx)).toThrow(/placeholder/);
    expect(() => normalizeTgUpdate({ update_id: 'x' }, ctx)).toThrow(/tg payload invalid at update_id/);
  });
});
