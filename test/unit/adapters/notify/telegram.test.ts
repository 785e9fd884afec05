import { beforeEach, describe, expect, it } from 'vitest';
import { MockAgent } from 'undici';
import type { Message } from '@grammyjs/types';
import { sendTelegram } from '../../../../src/adapters/notify/telegram.js';

const API = 'https://api.telegram.org';
const TOKEN = '7312345678:AAH-realistic_looking_secret_token_xyz';
let agent: MockAgent;

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});

const pool = () => agent.get(API);
const send = (chat = '-1') => sendTelegram(API, TOKEN, chat, 'Срок ответа нарушен: inc_1', 1000, agent);

describe('Telegram sendMessage (Bot API shapes)', () => {
  it('sends the text to the chat', async () => {
    let sent: { chat_id?: string; text?: string } = {};
    pool()
      .intercept({ path: `/bot${TOKEN}/sendMessage`, method: 'POST' })
      .reply(200, (opts) => {
        sent = JSON.parse(typeof opts.body === 'string' ? opts.body : '{}') as typeof sent;
        // The Bot API's answer, typed as grammY types it (Message.TextMessage).
        const result: Message.TextMessage = { message_id: 5, date: 1763734000, chat: { id: -1001234, type: 'supergroup', title: 'Диспетчерская' }, text: sent.text ?? '' };
        return { ok: true, result };
      });
    await send('-1001234');
    expect(sent).toMatchObject({ chat_id: '-1001234', text: 'Срок ответа нарушен: inc_1' });
  });

  it('429: a retryable error that says how long to wait; the token never appears', async () => {
    pool().intercept({ path: `/bot${TOKEN}/sendMessage`, method: 'POST' }).reply(429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 17', parameters: { retry_after: 17 } });
    const err = await send().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NOTIFY_FAILED', retryable: true, retryAfterS: 17, details: { status: 429, retryAfterS: 17 } });
    expect(JSON.stringify(err) + String(err)).not.toContain(TOKEN);
  });

  it('a chat the bot cannot write to is a permanent failure', async () => {
    pool().intercept({ path: `/bot${TOKEN}/sendMessage`, method: 'POST' }).reply(403, { ok: false, error_code: 403, description: 'Forbidden: bot was kicked from the group chat' });
    await expect(send()).rejects.toMatchObject({ code: 'NOTIFY_REJECTED', retryable: false });
  });

  it('network failures and HTML error pages are retryable and do not leak the token', async () => {
    pool().intercept({ path: `/bot${TOKEN}/sendMessage`, method: 'POST' }).replyWithError(Object.assign(new Error(`socket hang up ${API}/bot${TOKEN}`), { code: 'ECONNRESET' }));
    const reset = (await send().catch((e: unknown) => e)) as Error;
    expect(reset).toMatchObject({ code: 'NOTIFY_FAILED' });
    expect(reset.message).not.toContain(TOKEN);
    pool().intercept({ path: `/bot${TOKEN}/sendMessage`, method: 'POST' }).reply(502, '<html><body>Bad Gateway</body></html>', { headers: { 'content-type': 'text/html' } });
    await expect(send()).rejects.toMatchObject({ code: 'NOTIFY_FAILED', details: { status: 502 } });
  });
});
