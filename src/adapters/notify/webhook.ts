import { createHmac } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import { OtklikError } from '../../core/errors.js';
import { internalHostProblem } from '../../platform/private-address.js';
import { urlOrigin } from '../../core/redact.js';

/** The signature receivers check: hex HMAC-SHA256 of the exact body with the shared secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * POSTs one JSON notification. 2xx is delivered; 4xx (except 408/429) means the receiver refuses
 * it for good; anything else, timeouts and network errors are retried by the queue.
 */
export async function postWebhook(
  url: string,
  payload: Record<string, unknown>,
  opts: { secret?: string; deliveryId: string; event: string; timeoutMs: number; dispatcher?: Dispatcher; refuseInternal?: boolean },
): Promise<void> {
  // Only the origin is ever said (logs, errors, the queue dashboard): the path or query may hold a token.
  const where = urlOrigin(url);
  const internal = opts.refuseInternal === true ? internalHostProblem(url) : undefined;
  if (internal) throw new OtklikError('NOTIFY_REJECTED', `webhook ${where}: ${internal}; set NOTIFY_ALLOW_INTERNAL_TARGETS=true to allow it`);
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-otklik-event': opts.event, 'x-otklik-delivery': opts.deliveryId, 'user-agent': 'otklik' };
  if (opts.secret) headers['x-otklik-signature'] = signBody(opts.secret, body);
  let status: number;
  let retryAfter: string | string[] | undefined;
  try {
    const res = await request(url, { method: 'POST', body, headers, headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs, ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}) });
    status = res.statusCode;
    retryAfter = res.headers['retry-after'];
    await res.body.dump();
  } catch (e) {
    const code = (e as { code?: string; cause?: { code?: string } }).code ?? '';
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? '';
    // A name that resolves inside the network: refused for good, as the address itself would be.
    if (cause === 'EINTERNAL' || code === 'EINTERNAL') throw new OtklikError('NOTIFY_REJECTED', `webhook ${where}: resolves to an internal address; set NOTIFY_ALLOW_INTERNAL_TARGETS=true to allow it`);
    throw new OtklikError('NOTIFY_FAILED', `webhook ${where}: ${(e as Error).name}: ${code || cause || 'request failed'}`);
  }
  if (status >= 200 && status < 300) return;
  const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
  // A receiver that says how long to wait (429 or 503 with Retry-After in seconds) is waited for.
  const waitS = typeof retryAfter === 'string' && /^\d{1,6}$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) : undefined;
  throw new OtklikError(permanent ? 'NOTIFY_REJECTED' : 'NOTIFY_FAILED', `webhook ${where} answered ${status}`, { details: { status }, ...(waitS === undefined ? {} : { retryAfterS: waitS }) });
}
