import { routePlugin } from './plugin.js';
import { z } from 'zod';
import { OtklikError } from '../core/errors.js';
import { loginSchema } from '../core/access/principal.js';
import type { UserStore } from '../ports/users.js';
import { principalOf, SESSION_COOKIE } from './auth.js';

export interface AuthRoutesDeps {
  users: UserStore;
  sessionTtlSeconds: number;
  secureCookie: boolean;
  /** Login attempts per address per 15 minutes. */
  loginLimit: number;
}

/** Sign in (a session cookie for the console), sign out, and who am I. */
export const authRoutes = routePlugin<AuthRoutesDeps>('otklik-auth-routes', (app, d) => {
  app.post(
    '/auth/login',
    {
      config: { public: true, rateLimit: { max: d.loginLimit, timeWindow: 15 * 60_000 } },
      schema: { body: loginSchema, tags: ['auth'], summary: 'Sign in with login and password; sets the session cookie' },
    },
    async (req, reply) => {
      const { login, password } = req.body as z.infer<typeof loginSchema>;
      const user = await d.users.verify(login, password);
      // One answer for an unknown login, a wrong password and a disabled account.
      if (!user) throw new OtklikError('UNAUTHENTICATED', 'wrong login or password');
      const session = await d.users.openSession(user.id, d.sessionTtlSeconds);
      void reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: d.secureCookie,
        maxAge: d.sessionTtlSeconds,
      });
      return { user, expiresAt: session.expiresAt };
    },
  );

  app.post('/auth/logout', { schema: { tags: ['auth'], summary: 'End this session' } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await d.users.endSession(token);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/auth/me', { schema: { tags: ['auth'], summary: 'Who the caller is: role, body, regions' } }, async (req) => principalOf(req));
});
