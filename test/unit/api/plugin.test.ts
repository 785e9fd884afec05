import Fastify from 'fastify';
import fastifyCookie from '@fastify/cookie';
import { describe, expect, it } from 'vitest';
import { routePlugin, AUTH_PLUGIN } from '../../../src/api/plugin.js';
import { authPlugin } from '../../../src/api/auth.js';
import type { UserStore } from '../../../src/ports/users.js';
import { registerErrorHandler } from '../../../src/api/errors.js';
import { pino } from 'pino';

// Only what authentication reads: no user, no key, no session.
const noUsers = { apiKey: async () => undefined, sessionUser: async () => undefined } as unknown as UserStore;

const hello = routePlugin<{ word: string }>('otklik-test-routes', (app, d) => {
  app.addHook('preHandler', async (_req, reply) => {
    void reply.header('x-scoped', 'yes');
  });
  app.get('/hello', async () => ({ word: d.word }));
});

describe('route plugins', () => {
  it('refuse to start without the auth plugin they declare', async () => {
    const app = Fastify();
    await expect(app.register(hello, { word: 'привет' })).rejects.toThrow(new RegExp(AUTH_PLUGIN));
    await app.close();
  });

  it('refuse auth before the cookie parser it declares', async () => {
    const app = Fastify();
    await expect(app.register(authPlugin, { users: noUsers, envKeys: [] })).rejects.toThrow(/@fastify\/cookie/);
    await app.close();
  });

  it('run behind auth, with their hooks kept to their own routes', async () => {
    const app = Fastify();
    registerErrorHandler(app, pino({ level: 'silent' }));
    await app.register(fastifyCookie);
    await app.register(authPlugin, { users: noUsers, envKeys: ['k-123'] });
    await app.register(hello, { word: 'привет' });
    app.get('/outside', { config: { public: true } }, async () => ({ ok: true }));
    const anonymous = await app.inject({ url: '/hello' });
    expect(anonymous.statusCode).toBe(401);
    const signed = await app.inject({ url: '/hello', headers: { authorization: 'Bearer k-123' } });
    expect(signed.json()).toEqual({ word: 'привет' });
    expect(signed.headers['x-scoped']).toBe('yes');
    const outside = await app.inject({ url: '/outside' });
    expect(outside.headers['x-scoped']).toBeUndefined();
    await app.close();
  });
});
