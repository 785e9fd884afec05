import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createHmac } from 'node:crypto';
import { postWebhook, signBody } from '../../../../src/adapters/notify/webhook.js';

let server: Server;
let base = '';
const got: { path: string; sig?: string; body: string }[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      got.push({ path: req.url ?? '', body, ...(typeof req.headers['x-otklik-signature'] === 'string' ? { sig: req.headers['x-otklik-signature'] } : {}) });
      if (req.url?.startsWith('/hang')) return; // never answers
      const params = new URL(req.url ?? '/', 'http://x').searchParams;
      const wait = params.get('wait');
      res.writeHead(Number(params.get('status') ?? 204), wait ? { 'retry-after': wait } : {}).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});

const opts = { secret: 's3cret', deliveryId: 'dv.1', event: 'breach', timeoutMs: 500 };

describe('webhook delivery', () => {
  it('signs the exact body with HMAC-SHA256', async () => {
    await postWebhook(`${base}/ok`, { event: 'breach', incidentId: 'inc_1' }, opts);
    const last = got.at(-1)!;
    expect(last.sig).toBe(`sha256=${createHmac('sha256', 's3cret').update(last.body).digest('hex')}`);
    expect(signBody('s3cret', last.body)).toBe(last.sig);
  });

  it('5xx, 429 and timeouts are retryable; other 4xx are refusals; the query string (may hold a key) is never echoed', async () => {
    await expect(postWebhook(`${base}/x?status=500&key=abc`, {}, opts)).rejects.toMatchObject({ code: 'NOTIFY_FAILED', retryable: true });
    await expect(postWebhook(`${base}/x?status=429`, {}, opts)).rejects.toMatchObject({ code: 'NOTIFY_FAILED', retryAfterS: undefined });
    // Retry-After in seconds is waited for; an HTTP date is not trusted (clocks differ): the queue's backoff applies.
    await expect(postWebhook(`${base}/x?status=429&wait=42`, {}, opts)).rejects.toMatchObject({ code: 'NOTIFY_FAILED', retryAfterS: 42 });
    await expect(postWebhook(`${base}/x?status=503&wait=${encodeURIComponent('Wed, 21 Oct 2026 07:28:00 GMT')}`, {}, opts)).rejects.toMatchObject({ code: 'NOTIFY_FAILED', retryAfterS: undefined });
    const refused = (await postWebhook(`${base}/x?status=410&key=abc`, {}, opts).catch((e: unknown) => e)) as Error;
    expect(refused).toMatchObject({ code: 'NOTIFY_REJECTED', retryable: false });
    expect(refused.message).not.toContain('abc');
    await expect(postWebhook(`${base}/hang`, {}, opts)).rejects.toMatchObject({ code: 'NOTIFY_FAILED' });
    await expect(postWebhook('http://127.0.0.1:1/closed', {}, opts)).rejects.toMatchObject({ code: 'NOTIFY_FAILED' });
  });

  it('internal receivers are refused for good unless allowed, before anything is sent; errors name the origin only', async () => {
    const before = got.length;
    const refused = (await postWebhook(`${base}/secret-path?key=abc`, {}, { ...opts, refuseInternal: true }).catch((e: unknown) => e)) as Error;
    expect(refused).toMatchObject({ code: 'NOTIFY_REJECTED', retryable: false });
    expect(refused.message).toMatch(/internal address.*NOTIFY_ALLOW_INTERNAL_TARGETS/);
    expect(refused.message).not.toMatch(/secret-path|abc/);
    expect(got.length).toBe(before);
    const failed = (await postWebhook(`${base}/secret-path?status=500`, {}, opts).catch((e: unknown) => e)) as Error;
    expect(failed.message).toBe(`webhook ${base}/… answered 500`);
  });
});
