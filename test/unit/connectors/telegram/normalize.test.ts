import { describe, expect, it } from 'vitest';
import type { Chat, Message, Update, User } from '@grammyjs/types';
import { messageLinks, normalizeTgUpdate, threadKeys } from '../../../../connectors/telegram/normalize.js';

// Fixtures typed with @grammyjs/types: a field the Bot API does not have fails to compile.
const ctx = { sourceId: 'tg', capturedAt: '2026-11-21T10:00:00.000Z' };
const channel: Chat.ChannelChat = { id: -1001734567890, title: 'Acme News', username: 'acme_news', type: 'channel' };
const chat: Chat.SupergroupChat = { id: -1001987654321, title: 'Acme News Chat', username: 'acme_news_chat', type: 'supergroup' };
const maria: User = { id: 51234567, is_bot: false, first_name: 'Мария' };
const telegram: User = { id: 777000, is_bot: false, first_name: 'Telegram' };
/** The automatic copy of channel post 1482 in the discussion group (message 9051 there). */
const copy = { message_id: 9051, chat, from: telegram, sender_chat: channel, date: 1763734001, is_automatic_forward: true as const, forward_origin: { type: 'channel' as const, chat: channel, message_id: 1482, date: 1763734000 }, text: 'Запустили доставку' } satisfies Message & Update.NonChannel;

/** A replied-to message as the Bot API nests it: one level, without a reply of its own. */
const quoted = <M extends Message>(m: M): M & { reply_to_message: undefined } => ({ ...m, reply_to_message: undefined });

describe('Telegram normalisation', () => {
  it('maps a channel post', () => {
    const u: Update = { update_id: 1, channel_post: { message_id: 1482, sender_chat: channel, chat: channel, date: 1763734000, text: 'Запустили доставку' } };
    expect(normalizeTgUpdate(u, ctx)).toMatchObject({ id: 'tg:-1001734567890:1482', kind: 'post', permalink: 'https://t.me/acme_news/1482', author: { kind: 'community' } });
  });

  it('a post\'s automatic copy in the discussion group is that channel post: same id and revision, the channel\'s time and link', () => {
    const post = normalizeTgUpdate({ update_id: 1, channel_post: { message_id: 1482, sender_chat: channel, chat: channel, date: 1763734000, text: 'Запустили доставку' } } satisfies Update, ctx);
    const fromCopy = normalizeTgUpdate({ update_id: 2, message: copy } satisfies Update, ctx);
    expect(fromCopy).toMatchObject({ id: post?.id, revision: post?.revision, kind: 'post', community: { id: String(channel.id) }, createdAt: post?.createdAt, permalink: post?.permalink, author: { id: String(channel.id), kind: 'community' } });
  });

  it('a comment replying to the copy hangs under the channel post; a reply to a comment goes by the remembered link', () => {
    const direct = normalizeTgUpdate({ update_id: 3, message: { message_id: 9052, message_thread_id: 9051, from: maria, chat, date: 1763734100, reply_to_message: quoted(copy), text: 'А в Иннополис когда?' } } satisfies Update, ctx);
    expect(direct).toMatchObject({ id: 'tg:-1001987654321:9052', kind: 'comment', parentId: 'tg:-1001734567890:1482', author: { id: '51234567', kind: 'user' } });
    expect(direct?.author).not.toHaveProperty('first_name');
    const reply: Update = { update_id: 4, message: { message_id: 9053, message_thread_id: 9051, from: maria, chat, date: 1763734200, reply_to_message: quoted({ message_id: 9052, chat, from: maria, date: 1763734100, text: 'А в Иннополис когда?' }), text: '+1' } };
    expect(normalizeTgUpdate(reply, ctx, new Map([[`${chat.id}:9051`, `${channel.id}:1482`]]))?.parentId).toBe('tg:-1001734567890:1482');
    // Without the link, the thread's first message in the group.
    expect(normalizeTgUpdate(reply, ctx)?.parentId).toBe('tg:-1001987654321:9051');
  });

  it('finds the links (from copies and from comments quoting one) and the threads to look up', () => {
    const updates: Update[] = [
      { update_id: 2, message: copy },
      { update_id: 3, message: { message_id: 9060, message_thread_id: 9059, from: maria, chat, date: 1763734100, reply_to_message: quoted({ ...copy, message_id: 9059, forward_origin: { ...copy.forward_origin, message_id: 1490 } }), text: 'x' } },
    ];
    expect(messageLinks(updates)).toEqual([
      [`${channel.id}:1482`, `${chat.id}:9051`],
      [`${channel.id}:1490`, `${chat.id}:9059`],
    ]);
    expect(threadKeys(updates)).toEqual([`${chat.id}:9059`]);
  });

  it('a message in a forum topic is a post of that topic, not a comment', () => {
    const forum: Chat.SupergroupChat = { ...chat, is_forum: true };
    const p = normalizeTgUpdate({ update_id: 5, message: { message_id: 70, message_thread_id: 12, is_topic_message: true, from: maria, chat: forum, date: 1763734000, text: 'Тема: ЖКХ' } } satisfies Update, ctx);
    expect(p).toMatchObject({ kind: 'post' });
    expect(p).not.toHaveProperty('parentId');
  });

  it('treats an edited channel post as a new revision of the same post', () => {
    const a = normalizeTgUpdate({ update_id: 1, channel_post: { message_id: 1482, chat: channel, date: 1763734000, text: 'Запустили доставку' } } satisfies Update, ctx);
    const b = normalizeTgUpdate({ update_id: 4, edited_channel_post: { message_id: 1482, chat: channel, date: 1763734000, edit_date: 1763734600, text: 'Запустили доставку в Иннополисе' } } satisfies Update, ctx);
    expect(b?.id).toBe(a?.id);
    expect(b?.revision).not.toBe(a?.revision);
    expect(b?.editedAt).toBe('2025-11-21T14:16:40.000Z');
  });

  it('uses the caption of media messages and the c/ link for private supergroups', () => {
    const u = { update_id: 5, message: { message_id: 7, from: maria, chat: { id: -1005555, type: 'supergroup', title: 'Двор' }, date: 1763734000, caption: 'Фото ямы', photo: [] } } satisfies Update;
    expect(normalizeTgUpdate(u, ctx)).toMatchObject({ text: 'Фото ямы', permalink: 'https://t.me/c/5555/7' });
  });

  it('ignores updates it does not monitor and rejects placeholders', () => {
    expect(normalizeTgUpdate({ update_id: 9, my_chat_member: {} }, ctx)).toBeNull();
    expect(() => normalizeTgUpdate({ update_id: 9, message: { message_id: 0, from: maria, chat, date: 1763734000, text: 'x' } } satisfies Update, ctx)).toThrow(/placeholder/);
    expect(() => normalizeTgUpdate({ update_id: 'x' }, ctx)).toThrow(/tg payload invalid at update_id/);
  });
});
