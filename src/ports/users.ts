import type { ApiKeyInfo, NewApiKey, NewUser, User, UserPatch } from '../core/access/principal.js';

/** Users, their sessions, and the API keys of systems. */
export interface UserStore {
  create(input: NewUser): Promise<User>;
  get(id: string): Promise<User | undefined>;
  list(): Promise<User[]>;
  count(): Promise<number>;
  update(id: string, patch: UserPatch): Promise<User>;
  /** Removes the user and ends their sessions. */
  remove(id: string): Promise<void>;
  /** The user when login and password match an enabled account; the same time is spent otherwise. */
  verify(login: string, password: string): Promise<User | undefined>;
  openSession(userId: string, ttlSeconds: number): Promise<{ token: string; expiresAt: string }>;
  /** The enabled user a session token belongs to. */
  sessionUser(token: string): Promise<User | undefined>;
  endSession(token: string): Promise<void>;
  /** A new key for a system; the key itself is returned once and never again. */
  createApiKey(input: NewApiKey): Promise<{ key: string; info: ApiKeyInfo }>;
  /** The key's holder, unless the key is unknown or expired. */
  apiKey(key: string): Promise<ApiKeyInfo | undefined>;
  listApiKeys(): Promise<ApiKeyInfo[]>;
  revokeApiKey(id: string): Promise<void>;
}
