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
  const { status, text } = await requestPlatform({ ...c, method: 'POST', headers: { 'content-type': c.contentType } });
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

export interface PlatformRequest {
  platform: 'vk' | 'ok' | 'tg';
  where: string;
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  dispatcher?: Dispatcher;
}

/**
 * One HTTP exchange with a platform: network failures and 5xx are PLATFORM_UNAVAILABLE (retryable,
 * the 5xx body kept); anything else comes back as status, text and headers for the caller to judge.
 */
export async function requestPlatform(c: PlatformRequest): Promise<{ status: number; text: string; headers: Record<string, string | string[] | undefined> }> {
  let status: number;
  let text: string;
  let headers: Record<string, string | string[] | undefined>;
  try {
    const res = await request(c.url, {
      method: c.method,
      ...(c.body === undefined ? {} : { body: c.body }),
      ...(c.headers ? { headers: c.headers } : {}),
      headersTimeout: c.timeoutMs,
      bodyTimeout: c.timeoutMs,
      ...(c.dispatcher ? { dispatcher: c.dispatcher } : {}),
    });
    status = res.statusCode;
    headers = res.headers;
    text = await res.body.text();
  } catch (e) {
    const reason = (e as { code?: string }).code ?? (e as Error).name;
    throw new OtklikError('PLATFORM_UNAVAILABLE', `${c.where}: ${reason}`, { details: { platform: c.platform, reason } });
  }
  // A 5xx is the platform having trouble, whatever its body says (often an HTML page): retry later.
  if (status >= 500) {
    throw new OtklikError('PLATFORM_UNAVAILABLE', `${c.where}: HTTP ${status}`, { details: { platform: c.platform, status, raw: text.slice(0, 2000) } });
  }
  return { status, text, headers };
}
