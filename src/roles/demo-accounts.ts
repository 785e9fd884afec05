import type { Logger } from 'pino';
import { hasPlatformTokens, type Config } from '../config/config.js';
import { isOtklikError } from '../core/errors.js';
import type { NewUser } from '../core/access/principal.js';
import type { BodyDirectory } from '../core/bodies/bodies.js';
import type { UserStore } from '../ports/users.js';
import { isLoopback } from '../api/auth.js';

export function demoUsersOn(config: Config): boolean {
  if (config.DEMO_USERS !== 'auto') return config.DEMO_USERS === 'on';
  return !hasPlatformTokens(config) && !config.SOURCES_FILE && isLoopback(config.HTTP_HOST);
}

/** The demo accounts: one per role, and a responder per body whose login is the body's id. */
export function demoAccounts(config: Config, bodies: BodyDirectory): NewUser[] {
  const password = config.DEMO_PASSWORD;
  return [
    { login: 'moderator', name: 'Модератор ЦУР', role: 'moderator', regions: [], password },
    { login: 'analyst', name: 'Аналитик', role: 'analyst', regions: [], password },
    ...bodies.all().map((b): NewUser => ({ login: b.id, name: b.name, role: 'responder', bodyId: b.id, regions: [], password })),
  ];
}

/**
 * Creates the bootstrap admin (ADMIN_PASSWORD) and, on a demo, the demo accounts, each only if its
 * login is free: a password changed in the console survives restarts.
 */
export async function bootstrapUsers(config: Config, users: UserStore, bodies: BodyDirectory, log: Logger): Promise<void> {
  const demo = demoUsersOn(config);
  const wanted: NewUser[] = [];
  const adminPassword = config.ADMIN_PASSWORD ?? (demo ? config.DEMO_PASSWORD : undefined);
  if (adminPassword) wanted.push({ login: config.ADMIN_LOGIN, name: 'Администратор', role: 'admin', regions: [], password: adminPassword });
  if (demo) wanted.push(...demoAccounts(config, bodies));
  let created = 0;
  for (const u of wanted) {
    if (await users.get(u.login)) continue;
    try {
      await users.create(u);
      created++;
    } catch (e) {
      // Another API process created it at the same moment.
      if (!isOtklikError(e) || e.code !== 'USER_EXISTS') throw e;
    }
  }
  if (created > 0) log.info({ created, demo }, demo ? 'demo accounts created (password: DEMO_PASSWORD)' : 'bootstrap admin created');
  if ((await users.count()) === 0) log.warn('no users: set ADMIN_PASSWORD to create the first admin, or use an API key');
}
