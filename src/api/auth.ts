import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

const OPEN_ROUTES = new Set(['/health']);

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Bearer API keys for every route but /health. With no keys configured the API is open, which
 * the engine allows only when it listens on loopback (checked at start-up). Users, roles and
 * sessions come with the console.
 */
export function registerApiKeyAuth(app: FastifyInstance, keys: readonly string[]): void {
  if (keys.length === 0) return;
  app.addHook('onRequest', async (req, reply) => {
    if (OPEN_ROUTES.has(req.routeOptions.url ?? '')) return;
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token || !keys.some((k) => equal(k, token))) {
      await reply.status(401).header('www-authenticate', 'Bearer').send({ error: { code: 'UNAUTHENTICATED', message: 'a valid API key is required (Authorization: Bearer <key>)' } });
    }
  });
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
