import { request, type Dispatcher } from 'undici';
import { OtklikError } from '../core/errors.js';

export interface PlatformCall {
  platform: 'vk' | 'ok' | 'tg';
  /** Words for messages: "telegram getUpdates (source tg-city)". Never the URL, which may hold a token. */
  where: string;
  url: string;
  body: string;
  contentType: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
}

/**
 * POSTs to a platform and returns its JSON. Network failures and 5xx are retryable
 * (PLATFORM_UNAVAILABLE, raw body kept); any other body that is not JSON (an HTML page, a truncated
 * response) is PLATFORM_RESPONSE_INVALID with the raw text kept for the dead letter. No message repeats the URL
 * or the request body, where tokens travel.
 */
export async function postToPlatform(c: PlatformCall): Promise<{ status: number; json: unknown; text: string }> {
  let status: number;
  let text: string;
  try {
    const res = await request(c.url, {
      method: 'POST',
      body: c.body,
      headers: { 'content-type': c.contentType },
      headersTimeout: c.timeoutMs,
      bodyTimeout: c.timeoutMs,
      ...(c.dispatcher ? { dispatcher: c.dispatcher } : {}),
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch (e) {
    const reason = (e as { code?: string }).code ?? (e as Error).name;
    throw new OtklikError('PLATFORM_UNAVAILABLE', `${c.where}: ${reason}`, { details: { platform: c.platform, reason } });
  }
  // A 5xx is the platform having trouble, whatever its body says (often an HTML page): retry later.
  if (status >= 500) {
    throw new OtklikError('PLATFORM_UNAVAILABLE', `${c.where}: HTTP ${status}`, { details: { platform: c.platform, status, raw: text.slice(0, 2000) } });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new OtklikError('PLATFORM_RESPONSE_INVALID', `${c.where}: HTTP ${status}, not JSON (${text.length} bytes)`, {
      details: { platform: c.platform, status, raw: text.slice(0, 2000) },
    });
  }
  return { status, json, text };
}
