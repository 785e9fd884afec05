import type { FastifyInstance, InjectOptions } from 'fastify';
import { expect } from 'vitest';

/** Signs in through the API and returns the session cookie header. */
export async function signIn(app: FastifyInstance, login: string, password = 'otklik-demo'): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { login, password } });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = [res.headers['set-cookie']].flat()[0] ?? '';
  return cookie.split(';')[0] ?? '';
}

/** A client bound to one session (or API key) for terse tests. */
export function as(app: FastifyInstance, auth: { cookie: string } | { bearer: string }) {
  const headers = 'cookie' in auth ? { cookie: auth.cookie } : { authorization: `Bearer ${auth.bearer}` };
  const call = (method: InjectOptions['method'], url: string, payload?: unknown) =>
    app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }) });
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, payload: unknown) => call('POST', url, payload),
    patch: (url: string, payload: unknown) => call('PATCH', url, payload),
    put: (url: string, payload: unknown) => call('PUT', url, payload),
    del: (url: string) => call('DELETE', url),
  };
}

export function errorCode(res: { json: <T>() => T }): string {
  return res.json<{ error: { code: string } }>().error.code;
}
