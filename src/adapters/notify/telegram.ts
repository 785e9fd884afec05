import { request, type Dispatcher } from 'undici';
import { OtklikError } from '../../core/errors.js';

/**
 * Sends a Bot API message. The token is part of the URL, so no error produced here ever includes
 * the URL. 429 carries `retry_after`: the error says how long to wait.
 */
export async function sendTelegram(apiUrl: string, token: string, chatId: string, text: string, timeoutMs: number, dispatcher?: Dispatcher): Promise<void> {
  let status: number;
  let json: { ok?: boolean; description?: string; parameters?: { retry_after?: number } } = {};
  try {
    const res = await request(`${apiUrl}/bot${token}/sendMessage`, {
      method: 'POST',
      body: JSON.stringify({ chat_id: chatId, text, link_preview_options: { is_disabled: true } }),
      headers: { 'content-type': 'application/json' },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      ...(dispatcher ? { dispatcher } : {}),
    });
    status = res.statusCode;
    json = (await res.body.json().catch(() => ({}))) as typeof json;
  } catch (e) {
    throw new OtklikError('NOTIFY_FAILED', `telegram sendMessage to ${chatId}: ${(e as { code?: string }).code ?? (e as Error).name}`);
  }
  if (status === 200 && json.ok === true) return;
  const retryAfter = json.parameters?.retry_after;
  const description = (json.description ?? '').slice(0, 200);
  const permanent = status === 400 || status === 401 || status === 403 || status === 404;
  throw new OtklikError(permanent ? 'NOTIFY_REJECTED' : 'NOTIFY_FAILED', `telegram sendMessage to ${chatId}: ${status} ${description}`, {
    details: { status, ...(retryAfter === undefined ? {} : { retryAfterS: retryAfter }) },
  });
}
