import { createHmac } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import { OtklikError } from '../../core/errors.js';

/** The signature receivers check: hex HMAC-SHA256 of the exact body with the shared secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * POSTs one JSON notification. 2xx is delivered; 4xx (except 408/429) means the receiver refuses
 * it for good; anything else, timeouts and network errors are retried by the queue.
 */
export async function postWebhook(url: string, payload: Record<string, unknown>, opts: { secret?: string; deliveryId: string; event: string; timeoutMs: number; dispatcher?: Dispatcher }): Promise<void> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-otklik-event': opts.event, 'x-otklik-delivery': opts.deliveryId, 'user-agent': 'otklik' };
  if (opts.secret) headers['x-otklik-signature'] = signBody(opts.secret, body);
  const target = new URL(url);
  const where = `${target.protocol}//${target.host}${target.pathname}`; // no query string: it may carry a key
  let status: number;
  let retryAfter: string | string[] | undefined;
  try {
    const res = await request(url, { method: 'POST', body, headers, headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs, ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}) });
    status = res.statusCode;
    retryAfter = res.headers['retry-after'];
    await res.body.dump();
  } catch (e) {
    throw new OtklikError('NOTIFY_FAILED', `webhook ${where}: ${(e as Error).name}: ${(e as { code?: string }).code ?? 'request failed'}`);
  }
  if (status >= 200 && status < 300) return;
  const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
  // A receiver that says how long to wait (429 or 503 with Retry-After in seconds) is waited for.
  const waitS = typeof retryAfter === 'string' && /^\d{1,6}$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) : undefined;
  throw new OtklikError(permanent ? 'NOTIFY_REJECTED' : 'NOTIFY_FAILED', `webhook ${where} answered ${status}`, { details: { status }, ...(waitS === undefined ? {} : { retryAfterS: waitS }) });
}
