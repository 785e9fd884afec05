import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { OtklikError } from '../../core/errors.js';
import { applyPatch, ROLES, type ApiKeyInfo, type NewApiKey, type NewUser, type User, type UserPatch } from '../../core/access/principal.js';
import { decoyHash, hashPassword, verifyPassword } from '../crypto/password.js';
import type { RedisKeys } from './keys.js';
import type { UserStore } from '../../ports/users.js';

// What a user and an API key both carry: the role and the scope it acts in.
const scopeFields = {
  role: z.enum(ROLES),
  bodyId: z.string().optional(),
  regions: z.array(z.string()),
};

const storedUserSchema = z.object({
  id: z.string(),
  login: z.string(),
  name: z.string(),
  ...scopeFields,
  disabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  passwordHash: z.string(),
});
type StoredUser = z.infer<typeof storedUserSchema>;

const storedKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  ...scopeFields,
  createdAt: z.string(),
  expiresAt: z.string().optional(),
  prefix: z.string(),
});

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function publicUser(u: StoredUser): User {
  const { passwordHash: _hidden, ...rest } = u;
  return rest;
}

function parseUser(raw: string | null): StoredUser | undefined {
  if (raw === null) return undefined;
  const r = storedUserSchema.safeParse(JSON.parse(raw));
  return r.success ? r.data : undefined;
}

/**
 * Users, their sessions and the API keys of systems, in Redis. Passwords are kept as scrypt
 * hashes; session tokens and API keys as SHA-256 digests (they are long random strings, so a
 * fast digest is enough), which means a copy of Redis lets nobody in.
 */
export class RedisUserStore implements UserStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(input: NewUser): Promise<User> {
    const at = this.now().toISOString();
    const stored: StoredUser = {
      id: input.login,
      login: input.login,
      name: input.name,
      role: input.role,
      ...(input.bodyId ? { bodyId: input.bodyId } : {}),
      regions: input.regions,
      disabled: false,
      createdAt: at,
      updatedAt: at,
      passwordHash: await hashPassword(input.password),
    };
    const added = await this.redis.hsetnx(this.keys.users(), stored.id, JSON.stringify(stored));
    if (added === 0) throw new OtklikError('USER_EXISTS', `a user with login "${input.login}" already exists`);
    return publicUser(stored);
  }

  async get(id: string): Promise<User | undefined> {
    const u = parseUser(await this.redis.hget(this.keys.users(), id));
    return u ? publicUser(u) : undefined;
  }

  async list(): Promise<User[]> {
    const all = await this.redis.hvals(this.keys.users());
    return all
      .map((raw) => parseUser(raw))
      .filter((u): u is StoredUser => u !== undefined)
      .map(publicUser)
      .sort((a, b) => a.login.localeCompare(b.login));
  }

  async count(): Promise<number> {
    return this.redis.hlen(this.keys.users());
  }

  async update(id: string, patch: UserPatch): Promise<User> {
    const current = parseUser(await this.redis.hget(this.keys.users(), id));
    if (!current) throw new OtklikError('NOT_FOUND', `user "${id}" does not exist`);
    const next = { ...current, ...applyPatch(publicUser(current), patch, this.now().toISOString()) };
    if (next.role === 'responder' && !next.bodyId) {
      throw new OtklikError('VALIDATION_FAILED', 'bodyId: a responder is bound to one body');
    }
    if (patch.password !== undefined) next.passwordHash = await hashPassword(patch.password);
    await this.redis.hset(this.keys.users(), id, JSON.stringify(next));
    // A new password, a new role or a disabled account ends the sessions opened before.
    if (patch.password !== undefined || patch.role !== undefined || patch.bodyId !== undefined || patch.regions !== undefined || patch.disabled === true) {
      await this.endSessionsOf(id);
    }
    return publicUser(next);
  }

  async remove(id: string): Promise<void> {
    const removed = await this.redis.hdel(this.keys.users(), id);
    if (removed === 0) throw new OtklikError('NOT_FOUND', `user "${id}" does not exist`);
    await this.endSessionsOf(id);
  }

  /** The user when login and password match an enabled account; the same time is spent otherwise. */
  async verify(login: string, password: string): Promise<User | undefined> {
    const u = parseUser(await this.redis.hget(this.keys.users(), login));
    const ok = await verifyPassword(password, u?.passwordHash ?? (await decoyHash()));
    return u && ok && !u.disabled ? publicUser(u) : undefined;
  }

  async openSession(userId: string, ttlSeconds: number): Promise<{ token: string; expiresAt: string }> {
    const token = randomBytes(32).toString('base64url');
    const hash = sha256(token);
    const expiresAt = new Date(this.now().getTime() + ttlSeconds * 1000).toISOString();
    await this.redis
      .multi()
      .set(this.keys.session(hash), JSON.stringify({ userId, expiresAt }), 'EX', ttlSeconds)
      .sadd(this.keys.userSessions(userId), hash)
      .expire(this.keys.userSessions(userId), ttlSeconds)
      .exec();
    return { token, expiresAt };
  }

  /** The enabled user a session token belongs to. */
  async sessionUser(token: string): Promise<User | undefined> {
    const raw = await this.redis.get(this.keys.session(sha256(token)));
    if (raw === null) return undefined;
    const { userId } = JSON.parse(raw) as { userId: string };
    const u = await this.get(userId);
    return u && !u.disabled ? u : undefined;
  }

  async endSession(token: string): Promise<void> {
    await this.redis.del(this.keys.session(sha256(token)));
  }

  private async endSessionsOf(userId: string): Promise<void> {
    const hashes = await this.redis.smembers(this.keys.userSessions(userId));
    await this.redis.del(...hashes.map((h) => this.keys.session(h)), this.keys.userSessions(userId));
  }

  /** A new key for a system; the key itself is returned once and never again. */
  async createApiKey(input: NewApiKey): Promise<{ key: string; info: ApiKeyInfo }> {
    const key = `otk_${randomBytes(24).toString('base64url')}`;
    const at = this.now();
    const info: ApiKeyInfo = {
      id: randomUUID(),
      name: input.name,
      role: input.role,
      ...(input.bodyId ? { bodyId: input.bodyId } : {}),
      regions: input.regions,
      createdAt: at.toISOString(),
      ...(input.expiresInDays ? { expiresAt: new Date(at.getTime() + input.expiresInDays * 86_400_000).toISOString() } : {}),
      prefix: key.slice(0, 8),
    };
    await this.redis.hset(this.keys.apiKeys(), sha256(key), JSON.stringify(info));
    return { key, info };
  }

  async apiKey(key: string): Promise<ApiKeyInfo | undefined> {
    const raw = await this.redis.hget(this.keys.apiKeys(), sha256(key));
    if (raw === null) return undefined;
    const r = storedKeySchema.safeParse(JSON.parse(raw));
    if (!r.success) return undefined;
    if (r.data.expiresAt !== undefined && Date.parse(r.data.expiresAt) <= this.now().getTime()) return undefined;
    return r.data;
  }

  async listApiKeys(): Promise<ApiKeyInfo[]> {
    const all = await this.redis.hvals(this.keys.apiKeys());
    return all
      .map((raw) => storedKeySchema.safeParse(JSON.parse(raw)))
      .flatMap((r) => (r.success ? [r.data] : []))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async revokeApiKey(id: string): Promise<void> {
    const all = await this.redis.hgetall(this.keys.apiKeys());
    const hash = Object.entries(all).find(([, raw]) => (JSON.parse(raw) as { id?: string }).id === id)?.[0];
    if (!hash) throw new OtklikError('NOT_FOUND', `API key ${id} does not exist`);
    await this.redis.hdel(this.keys.apiKeys(), hash);
  }
}
