import { routePlugin } from './plugin.js';
import { z } from 'zod';
import { OtklikError } from '../core/errors.js';
import { loginSchema } from '../core/access/principal.js';
import type { UserStore } from '../ports/users.js';
import type { LoginThrottle } from '../ports/login-throttle.js';
import { principalOf, SESSION_COOKIE } from './auth.js';

export interface AuthRoutesDeps {
  users: UserStore;
  sessionTtlSeconds: number;
  secureCookie: boolean;
  /** Failed sign-ins, per account from an address, per account and per address. */
  throttle: LoginThrottle;
}

const logoutSchema = z.object({}).strict();

/** Sign in (a session cookie for the console), sign out, and who am I. */
export const authRoutes = routePlugin<AuthRoutesDeps>('otklik-auth-routes', (app, d) => {
  app.post(
    '/auth/login',
    {
      config: { public: true },
      schema: { body: loginSchema, tags: ['auth'], summary: 'Sign in with login and password; sets the session cookie' },
    },
    async (req, reply) => {
      const { login, password } = req.body as z.infer<typeof loginSchema>;
      // The address is the client's own, or the one a configured proxy (TRUST_PROXY) reports.
      const wait = await d.throttle.blockedFor(login, req.ip);
      if (wait > 0) {
        void reply.header('retry-after', String(wait));
        throw new OtklikError('RATE_LIMITED', `too many failed sign-ins; try again in ${Math.ceil(wait / 60)} min`, { retryAfterS: wait });
      }
      const user = await d.users.verify(login, password);
      // One answer for an unknown login, a wrong password and a disabled account.
      if (!user) {
        await d.throttle.failed(login, req.ip);
        throw new OtklikError('UNAUTHENTICATED', 'wrong login or password');
      }
      await d.throttle.succeeded(login, req.ip);
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

  app.post('/auth/logout', { schema: { body: logoutSchema, tags: ['auth'], summary: 'End this session (the cookie, or the session token sent as a bearer); the body is JSON ({})' } }, async (req, reply) => {
    // A JSON body: a form on another port of this host (same site for cookies) cannot send one.
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      throw new OtklikError('VALIDATION_FAILED', 'sign out with a JSON body ({})');
    }
    const header = req.headers.authorization ?? '';
    const bearer = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    // A session token used as a bearer ends like the cookie's; API keys are revoked by admins, not here.
    const token = bearer !== '' && !bearer.startsWith('otk_') ? bearer : req.cookies[SESSION_COOKIE];
    if (token) await d.users.endSession(token);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/auth/me', { schema: { tags: ['auth'], summary: 'Who the caller is: role, body, regions' } }, async (req) => principalOf(req));
});
