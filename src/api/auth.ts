import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AUTH_PLUGIN } from './plugin.js';
import { OtklikError } from '../core/errors.js';
import { principalOfKey, principalOfUser, type Principal } from '../core/access/principal.js';
import type { UserStore } from '../ports/users.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** Served without authentication (health, login, the console's static files, the API docs). */
    public?: boolean;
    /** Public, but a caller who does sign the request is known (health shows them more). */
    optionalAuth?: boolean;
  }
}

export const SESSION_COOKIE = 'otklik_session';

/** Routes registered by plugins (the console's files, the API docs), public like `config.public`. */
const PUBLIC_PREFIXES = ['/console/', '/vendor/', '/docs'];

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface AuthDeps {
  users: UserStore;
  /** Keys from API_KEYS: admin-level keys for systems configured by the operator (Prometheus). */
  envKeys: readonly string[];
}

/**
 * Every route needs a principal unless its config says `public`. A request proves who it is by
 * the session cookie the console gets at login, or by `Authorization: Bearer` with an API key
 * (created by an admin, or one of API_KEYS) or a session token.
 */
export const authPlugin = fp<AuthDeps>(
  async (app, d) => {
    app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (req) => {
    const url = req.routeOptions.url ?? '';
    if (req.routeOptions.config.public === true || PUBLIC_PREFIXES.some((p) => url.startsWith(p))) {
      if (req.routeOptions.config.optionalAuth === true) {
        const known = await authenticate(req, d).catch(() => undefined);
        if (known) req.principal = known;
      }
      return;
    }
    const principal = await authenticate(req, d);
    if (!principal) {
      throw new OtklikError('UNAUTHENTICATED', 'sign in, or send an API key as "Authorization: Bearer <key>"');
    }
    req.principal = principal;
  });
  },
  // Not encapsulated: the principal and its check are the whole app's. The cookie parser comes first.
  { name: AUTH_PLUGIN, dependencies: ['@fastify/cookie'], fastify: '5.x' },
);

async function authenticate(req: FastifyRequest, d: AuthDeps): Promise<Principal | undefined> {
  const header = req.headers.authorization ?? '';
  const bearer = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (bearer !== '') {
    if (d.envKeys.some((k) => equal(k, bearer))) return { kind: 'api_key', id: 'env', name: 'API_KEYS', role: 'admin', regions: [] };
    if (bearer.startsWith('otk_')) {
      const key = await d.users.apiKey(bearer);
      return key ? principalOfKey(key) : undefined;
    }
    const user = await d.users.sessionUser(bearer);
    return user ? principalOfUser(user) : undefined;
  }
  const cookie = req.cookies[SESSION_COOKIE];
  if (cookie) {
    const user = await d.users.sessionUser(cookie);
    return user ? principalOfUser(user) : undefined;
  }
  return undefined;
}

/** The principal of an authenticated route (the hook guarantees one). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new OtklikError('UNAUTHENTICATED', 'sign in first');
  return req.principal;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
