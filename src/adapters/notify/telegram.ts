import type { Dispatcher } from 'undici';
import { OtklikError, isOtklikError } from '../../core/errors.js';
import { callBotApi } from '../../platform/telegram-bot-api.js';

/**
 * Sends a notification through the Bot API. For the notifier, a chat the bot may not write to or a
 * bad request is refused for good (NOTIFY_REJECTED); everything else is retried (NOTIFY_FAILED),
 * 429 with the `retry_after` Telegram gives. No message carries the URL, which holds the token.
 */
export async function sendTelegram(apiUrl: string, token: string, chatId: string, text: string, timeoutMs: number, dispatcher?: Dispatcher): Promise<void> {
  const where = `telegram sendMessage to ${chatId}`;
  try {
    await callBotApi({ apiUrl, token, method: 'sendMessage', params: { chat_id: chatId, text, link_preview_options: { is_disabled: true } }, timeoutMs, where, ...(dispatcher ? { dispatcher } : {}) });
  } catch (e) {
    if (!isOtklikError(e)) throw e;
    const permanent = e.code === 'PLATFORM_AUTH_FAILED' || e.code === 'PLATFORM_ERROR';
    throw new OtklikError(permanent ? 'NOTIFY_REJECTED' : 'NOTIFY_FAILED', e.message, { cause: e, details: e.details, ...(e.retryAfterS === undefined ? {} : { retryAfterS: e.retryAfterS }) });
  }
}
