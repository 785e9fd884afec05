import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startEngine, type Engine } from '../../../src/roles/engine.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog } from '../../helpers/engine.js';
import { as, errorCode, signIn } from '../../helpers/api.js';

const t = useTestRedis();
const ADMIN_PASSWORD = 'bootstrap-admin-pass-1';
let engine: Engine;
let app: FastifyInstance;
let admin: ReturnType<typeof as>;

async function apiEngine(extra: Record<string, string> = {}): Promise<Engine> {
  return startEngine({ config: testConfig({ ENGINE_ROLE: 'api', REDIS_URL: t.server.url, QUEUE_PREFIX: freshPrefix(), ADMIN_PASSWORD, ...extra }), log: silentLog });
}

beforeAll(async () => {
  engine = await apiEngine({ LOGIN_RATE_LIMIT: '1000' });
  app = engine.app!;
  admin = as(app, { cookie: await signIn(app, 'admin', ADMIN_PASSWORD) });
}, 60_000);

afterAll(async () => {
  await engine?.stop();
});

describe('signing in', () => {
  it('every endpoint but health, login and the docs needs a principal', async () => {
    for (const url of ['/incidents', '/users', '/bodies', '/topics', '/territories', '/presets', '/sources', '/metrics', '/auth/me', '/search']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
    }
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    const docs = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(docs.statusCode).toBe(200);
    const paths = Object.keys(docs.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(expect.arrayContaining(['/incidents', '/incidents/{id}/actions', '/auth/login', '/users', '/search']));
  });

  it('the session cookie is HttpOnly and SameSite=Strict; logout ends the session', async () => {
    const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { login: 'ADMIN', password: ADMIN_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/otklik_session=[\w-]{40,};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(res.body).not.toContain('passwordHash');
    const cookie = setCookie.split(';')[0] ?? '';
    const me = await app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ kind: 'user', id: 'admin', role: 'admin' });
    // A form from another port of this host (same site, so the cookie goes along) cannot sign anyone out.
    const form = await app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie, 'content-type': 'text/plain' }, payload: '{}' });
    expect(form.statusCode).toBe(400);
    const bare = await app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie } });
    expect(bare.statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie }, payload: {} })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('logout with a session token as a bearer ends that session', async () => {
    const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { login: 'admin', password: ADMIN_PASSWORD } });
    const token = (String(res.headers['set-cookie']).split(';')[0] ?? '').split('=')[1] ?? '';
    const bearer = { authorization: `Bearer ${token}` };
    expect((await app.inject({ method: 'GET', url: '/auth/me', headers: bearer })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/auth/logout', headers: bearer, payload: {} })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/auth/me', headers: bearer })).statusCode).toBe(401);
  });

  it('a wrong password and an unknown login get the same answer', async () => {
    const wrong = await app.inject({ method: 'POST', url: '/auth/login', payload: { login: 'admin', password: 'not-the-password' } });
    const unknown = await app.inject({ method: 'POST', url: '/auth/login', payload: { login: 'nobody', password: 'not-the-password' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.body).toBe(unknown.body);
  });

  it('passwords are stored as scrypt hashes, never in clear', async () => {
    const raw = await t.redis.hgetall(`${(engine.keys).users()}`);
    const stored = JSON.parse(raw.admin ?? '{}') as { passwordHash?: string };
    expect(stored.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(JSON.stringify(raw)).not.toContain(ADMIN_PASSWORD);
  });
});

describe('users and API keys (admins only)', () => {
  it('creates users with checked roles; lists them without hashes; others get 403', async () => {
    const ok = await admin.post('/users', { login: 'ivanova', name: 'Иванова А. А.', password: 'ivanova-password', role: 'analyst' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await admin.post('/users', { login: 'ivanova', name: 'Другая', password: 'another-password', role: 'analyst' })).statusCode).toBe(409);
    const noBody = await admin.post('/users', { login: 'petrov', name: 'Петров', password: 'petrov-password', role: 'responder' });
    expect(noBody.statusCode).toBe(400);
    expect(noBody.json<{ error: { message: string } }>().error.message).toMatch(/bodyId/);
    expect((await admin.post('/users', { login: 'petrov', name: 'Петров', password: 'petrov-password', role: 'responder', bodyId: 'no-such-body' })).statusCode).toBe(400);
    expect((await admin.post('/users', { login: 'x', name: 'X', password: 'short', role: 'admin' })).statusCode).toBe(400);
    expect((await admin.post('/users', { login: 'proto', name: 'P', password: 'long-password-1', role: 'admin', __proto__: { role: 'admin' }, isAdmin: true })).statusCode).toBe(400);
    const list = await admin.get('/users');
    expect(list.body).not.toContain('passwordHash');
    expect(list.json<{ items: { login: string }[] }>().items.map((u) => u.login)).toEqual(['admin', 'ivanova']);
    expect((await admin.get('/users?size=1&page=2')).json()).toMatchObject({ items: [{ login: 'ivanova' }], total: 2, page: 2, size: 1 });
    expect((await admin.get('/users?size=0')).statusCode).toBe(400);

    const ivanova = as(app, { cookie: await signIn(app, 'ivanova', 'ivanova-password') });
    expect((await ivanova.get('/users')).statusCode).toBe(403);
    expect((await ivanova.post('/users', { login: 'evil', name: 'E', password: 'evil-password-1', role: 'admin' })).statusCode).toBe(403);
  });

  it('disabling a user or changing the password ends their sessions', async () => {
    await admin.post('/users', { login: 'sidorov', name: 'Сидоров', password: 'sidorov-password', role: 'moderator' });
    const cookie = await signIn(app, 'sidorov', 'sidorov-password');
    expect((await app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })).statusCode).toBe(200);
    expect((await admin.patch('/users/sidorov', { disabled: true })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/auth/login', payload: { login: 'sidorov', password: 'sidorov-password' } })).statusCode).toBe(401);
    expect((await admin.patch('/users/admin', { disabled: true })).statusCode).toBe(400);
    expect((await admin.del('/users/admin')).statusCode).toBe(400);
  });

  it('an API key works as a bearer token with its role until revoked; the key is shown once', async () => {
    const created = await admin.post('/api-keys', { name: 'Grafana', role: 'analyst' });
    expect(created.statusCode, created.body).toBe(201);
    const { key, info } = created.json<{ key: string; info: { id: string } }>();
    expect(key).toMatch(/^otk_/);
    const list = await admin.get('/api-keys');
    expect(list.body).not.toContain(key);
    const grafana = as(app, { bearer: key });
    expect((await grafana.get('/auth/me')).json()).toMatchObject({ kind: 'api_key', role: 'analyst', name: 'Grafana' });
    expect((await grafana.get('/users')).statusCode).toBe(403);
    expect((await admin.del(`/api-keys/${info.id}`)).statusCode).toBe(204);
    expect((await grafana.get('/auth/me')).statusCode).toBe(401);
    expect((await as(app, { bearer: 'otk_forged-key-value' }).get('/auth/me')).statusCode).toBe(401);
  });
});

describe('routing rules and notification targets (admins)', () => {
  it('lists routes to admins only, paged', async () => {
    const res = await admin.get('/routing');
    expect(res.statusCode).toBe(200);
    const r = res.json<{ fallbackBody: string; items: { topic: string; body: string }[]; total: number }>();
    expect(r.fallbackBody).toBe('cur-moderators');
    expect(r.items).toContainEqual(expect.objectContaining({ topic: 'roads', body: 'city-roads' }));
    const second = (await admin.get('/routing?size=2&page=2')).json<{ items: unknown[]; total: number; page: number }>();
    expect(second).toMatchObject({ total: r.total, page: 2 });
    expect(second.items).toEqual(r.items.slice(2, 4));
    await admin.post('/users', { login: 'reader', name: 'R', password: 'reader-password', role: 'analyst' });
    const reader = as(app, { cookie: await signIn(app, 'reader', 'reader-password') });
    expect((await reader.get('/routing')).statusCode).toBe(403);
    expect((await reader.get('/notifications/targets')).statusCode).toBe(403);
    expect((await reader.patch('/notifications/targets/city-roads', { telegramChatId: '1' })).statusCode).toBe(403);
    expect((await reader.put('/routing', { fallbackBody: 'city-admin', routes: [] })).statusCode).toBe(403);
  });

  it('admins replace the route table (every body and topic checked) and reset it to the rules file', async () => {
    const file = (await admin.get('/routing?size=500')).json<{ origin: string; items: unknown[]; total: number }>();
    expect(file.origin).toBe('rules');
    const bad = await admin.put('/routing', { fallbackBody: 'nobody', routes: [{ topic: 'raods', body: 'city-roads' }, { topic: 'roads', body: 'ghost' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { message: string } }>().error.message).toMatch(/fallbackBody: unknown body "nobody".*routes\.0\.topic: unknown topic "raods".*routes\.1\.body: unknown body "ghost"/);
    for (const malformed of [{ routes: [] }, { fallbackBody: 'city-admin', routes: [{ topic: 'roads' }] }, { fallbackBody: 'city-admin', routes: [{ topic: 'roads', body: 'city-roads', extra: 1 }] }, { fallbackBody: 'city-admin', routes: 'all' }]) {
      expect((await admin.put('/routing', malformed)).statusCode, JSON.stringify(malformed)).toBe(400);
    }
    const put = await admin.put('/routing', { fallbackBody: 'city-admin', routes: [{ topic: 'roads', body: 'city-roads' }, { topic: 'snow.yards', territory: 'г. Энск', keywords: ['двор'], body: 'city-housing' }] });
    expect(put.statusCode, put.body).toBe(200);
    const now = (await admin.get('/routing')).json<{ origin: string; fallbackBody: string; total: number; updatedBy: string }>();
    expect(now).toMatchObject({ origin: 'api', fallbackBody: 'city-admin', total: 2, updatedBy: 'user:admin' });
    expect((await admin.del('/routing')).json()).toMatchObject({ origin: 'rules', total: file.total });
    expect((await admin.get('/routing?size=500')).json()).toEqual(file);
  });

  it('reject reasons and answer templates: everyone reads them, admins replace them (bodies checked) and reset to the rules file', async () => {
    interface PresetsView { origin: string; rejectReasons: string[]; answerTemplates: { id: string; bodies?: string[] }[]; updatedBy?: string }
    const file = (await admin.get('/presets')).json<PresetsView>();
    expect(file.origin).toBe('rules');
    expect(file.rejectReasons.length).toBeGreaterThan(3);
    expect(file.answerTemplates.find((x) => x.id === 'roads-repair-planned')?.bodies).toEqual(['city-roads']);
    await admin.post('/users', { login: 'presets-reader', name: 'P', password: 'reader-password', role: 'analyst' });
    const reader = as(app, { cookie: await signIn(app, 'presets-reader', 'reader-password') });
    expect((await reader.get('/presets')).json<PresetsView>().rejectReasons).toEqual(file.rejectReasons);
    expect((await reader.put('/presets', { rejectReasons: [], answerTemplates: [] })).statusCode).toBe(403);
    expect((await reader.del('/presets')).statusCode).toBe(403);
    const ghost = await admin.put('/presets', { rejectReasons: ['спам'], answerTemplates: [{ id: 'x', title: 'X', kind: 'final', text: 'Готово', bodies: ['ghost'] }] });
    expect(ghost.statusCode).toBe(400);
    expect(ghost.json<{ error: { message: string } }>().error.message).toContain('unknown body "ghost"');
    for (const bad of [{ rejectReasons: ['ок'], answerTemplates: [] }, { rejectReasons: [], answerTemplates: [{ id: 'a', title: 'A', kind: 'final', text: 'x' }, { id: 'a', title: 'B', kind: 'interim', text: 'y' }] }, { rejectReasons: [] }]) {
      expect((await admin.put('/presets', bad)).statusCode, JSON.stringify(bad)).toBe(400);
    }
    const put = await admin.put('/presets', { rejectReasons: ['реклама'], answerTemplates: [{ id: 'thanks', title: 'Спасибо', kind: 'final', text: 'Сделано, спасибо за сигнал.' }] });
    expect(put.json<PresetsView>()).toMatchObject({ origin: 'api', rejectReasons: ['реклама'], updatedBy: 'user:admin' });
    expect((await reader.get('/presets')).json<PresetsView>().rejectReasons).toEqual(['реклама']);
    expect((await admin.del('/presets')).json<PresetsView>()).toEqual(file);
  });

  it("admins set a body's Telegram chat and webhook over the rules file, see only the webhook's origin, and reset", async () => {
    interface Target { bodyId: string; origin: string; telegramChatId: string | null; webhook: { origin: string } | null; updatedBy?: string }
    const before = (await admin.get('/notifications/targets?size=500')).json<{ items: Target[]; total: number }>();
    expect(before.items.find((b) => b.bodyId === 'city-roads')).toMatchObject({ origin: 'rules' });
    expect(before.total).toBe(before.items.length);

    const set = await admin.patch('/notifications/targets/city-roads', { telegramChatId: '-1001234567890', webhookUrl: 'https://hooks.example.org/otklik/s3cr3t-path?token=abc' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json<Target>()).toMatchObject({ bodyId: 'city-roads', origin: 'api', telegramChatId: '-1001234567890', webhook: { origin: 'https://hooks.example.org' }, updatedBy: 'user:admin' });
    expect(set.body).not.toContain('s3cr3t');
    // Absent keeps, null removes.
    const chatOnly = (await admin.patch('/notifications/targets/city-roads', { webhookUrl: null })).json<Target>();
    expect(chatOnly).toMatchObject({ telegramChatId: '-1001234567890', webhook: null });
    const listed = (await admin.get('/notifications/targets')).json<{ items: Target[] }>();
    expect(listed.items.find((b) => b.bodyId === 'city-roads')).toMatchObject({ origin: 'api', telegramChatId: '-1001234567890' });
    expect(JSON.stringify(listed)).not.toContain('s3cr3t');

    // This engine's tests allow loopback receivers; by default they are refused (below).
    for (const bad of [{ webhookUrl: 'javascript:alert(1)' }, { webhookUrl: 'ftp://example.org/x' }, { webhookUrl: 'not a url' }, { telegramChatId: 'chat' }, { telegramChatId: 5 }, { email: 'x@example.org' }]) {
      const res = await admin.patch('/notifications/targets/city-roads', bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
    }
    expect(errorCode(await admin.patch('/notifications/targets/no-such-body', { telegramChatId: '1' }))).toBe('NOT_FOUND');
    expect((await admin.get('/notifications/targets/BAD!')).statusCode).toBe(400);

    const reset = await admin.del('/notifications/targets/city-roads');
    expect(reset.json<Target>()).toMatchObject({ origin: 'rules' });
    expect((await admin.get('/notifications/targets/city-roads')).json<Target>()).toEqual(before.items.find((b) => b.bodyId === 'city-roads'));
  });

  it('reference lists page like every other list', async () => {
    const all = (await admin.get('/bodies?size=500')).json<{ items: { id: string }[]; total: number }>();
    expect(all.total).toBe(all.items.length);
    const p2 = (await admin.get('/bodies?size=3&page=2')).json<{ items: { id: string }[]; total: number; page: number; size: number }>();
    expect(p2).toMatchObject({ total: all.total, page: 2, size: 3 });
    expect(p2.items).toEqual(all.items.slice(3, 6));
    const topics = (await admin.get('/topics?size=5')).json<{ items: unknown[]; total: number }>();
    expect(topics.items).toHaveLength(5);
    expect(topics.total).toBeGreaterThan(5);
    expect((await admin.get('/bodies?size=501')).statusCode).toBe(400);
    expect((await admin.get('/topics?page=0')).statusCode).toBe(400);
  });
});

describe('rate limits', () => {
  it('failed sign-ins are limited per account and address, with Retry-After; colleagues behind the address and successes are not', async () => {
    const limited = await apiEngine({ LOGIN_RATE_LIMIT: '3', TRUST_PROXY: '127.0.0.1' });
    try {
      const login = (who: string, password: string, from = '10.0.0.5') =>
        limited.app!.inject({ method: 'POST', url: '/auth/login', payload: { login: who, password }, headers: { 'x-forwarded-for': from } });
      // Signing in works any number of times: successes are not counted.
      for (let i = 0; i < 4; i++) expect((await login('admin', ADMIN_PASSWORD)).statusCode).toBe(200);
      const responses = [];
      for (let i = 0; i < 5; i++) responses.push(await login('admin', 'guessing-password'));
      expect(responses.map((r) => r.statusCode)).toEqual([401, 401, 401, 429, 429]);
      const last = responses[4];
      if (!last) throw new Error('no response');
      expect(errorCode(last)).toBe('RATE_LIMITED');
      expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
      // Even the right password waits now, from that address; from another one (through the proxy) it works.
      expect((await login('admin', ADMIN_PASSWORD)).statusCode).toBe(429);
      expect((await login('admin', ADMIN_PASSWORD, '10.0.0.6')).statusCode).toBe(200);
      // A colleague at the same office address is not locked out by someone else's failures.
      expect((await login('someone', 'guessing-password')).statusCode).toBe(401);
    } finally {
      await limited.stop();
    }
  });

  it('a webhook to this machine or its network is refused unless NOTIFY_ALLOW_INTERNAL_TARGETS', async () => {
    const strict = await apiEngine({ NOTIFY_ALLOW_INTERNAL_TARGETS: 'false' });
    try {
      const a = as(strict.app!, { cookie: await signIn(strict.app!, 'admin', ADMIN_PASSWORD) });
      for (const url of ['http://127.0.0.1:6379/', 'http://localhost:8080/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x', 'http://10.0.0.8/hook']) {
        const res = await a.patch('/notifications/targets/city-roads', { webhookUrl: url });
        expect(res.statusCode, url).toBe(400);
        expect(res.json<{ error: { message: string } }>().error.message).toMatch(/NOTIFY_ALLOW_INTERNAL_TARGETS/);
      }
      expect((await a.patch('/notifications/targets/city-roads', { webhookUrl: 'https://hooks.example.org/otklik' })).statusCode).toBe(200);
    } finally {
      await strict.stop();
    }
  });

  it('API requests per principal per minute are limited', async () => {
    const limited = await apiEngine({ API_RATE_LIMIT_PER_MIN: '5' });
    try {
      const a = as(limited.app!, { cookie: await signIn(limited.app!, 'admin', ADMIN_PASSWORD) });
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) codes.push((await a.get('/topics')).statusCode);
      expect(codes.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(codes.slice(5)).toEqual([429, 429]);
      // Health stays answerable for probes.
      expect((await limited.app!.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});

describe('the queue dashboard (operators)', () => {
  it('bull-board at /queues for admins and admin-level keys; 401 without a principal, 403 for other roles', async () => {
    const page = await admin.get('/queues');
    expect(page.statusCode, page.body).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const api = await admin.get('/queues/api/queues');
    expect(api.statusCode, api.body).toBe(200);
    const names = api.json<{ queues: { name: string }[] }>().queues.map((q) => q.name).sort();
    expect(names).toEqual(['analyze', 'deadletter', 'index', 'notify', 'poll', 'route', 'timers']);
    expect((await app.inject({ method: 'GET', url: '/queues/api/queues' })).statusCode).toBe(401);
    await admin.post('/users', { login: 'moder-q', name: 'M', password: 'moderator-pass', role: 'moderator' });
    const moderator = as(app, { cookie: await signIn(app, 'moder-q', 'moderator-pass') });
    expect((await moderator.get('/queues')).statusCode).toBe(403);
    expect((await moderator.get('/queues/api/queues')).statusCode).toBe(403);
  });
});
