import { z } from 'zod';

/** The people's roles. Systems act through API keys that carry one of these roles. */
export const ROLES = ['admin', 'moderator', 'responder', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

/** Whoever a request acts for: a signed-in user or a system holding an API key. */
export interface Principal {
  kind: 'user' | 'api_key';
  id: string;
  /** What people see: the user's name or the key's label. */
  name: string;
  role: Role;
  /** Responders: the body they answer for (its sub-bodies included). */
  bodyId?: string;
  /** Moderators: the territories they moderate; empty = every territory. */
  regions: string[];
}

const login = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,64}$/, 'a login is 3–64 latin letters, digits, ".", "_" or "-"');

/** Passwords are long rather than complex (NIST 800-63B): 10 characters at least. */
export const passwordSchema = z.string().min(10, 'a password has at least 10 characters').max(256);

const roleFields = {
  role: z.enum(ROLES),
  bodyId: z.string().min(1).max(100).optional(),
  regions: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
};

function checkRoleFields(u: { role: Role; bodyId?: string | undefined; regions: string[] }, ctx: z.RefinementCtx): void {
  if (u.role === 'responder' && !u.bodyId) ctx.addIssue({ code: 'custom', path: ['bodyId'], message: 'a responder is bound to one body' });
  if (u.role !== 'responder' && u.bodyId) ctx.addIssue({ code: 'custom', path: ['bodyId'], message: 'only responders are bound to a body' });
  if (u.role !== 'moderator' && u.regions.length > 0) ctx.addIssue({ code: 'custom', path: ['regions'], message: 'only moderators have regions' });
}

export const newUserSchema = z
  .object({ login, name: z.string().trim().min(1).max(200), password: passwordSchema, ...roleFields })
  .strict()
  .superRefine(checkRoleFields);

export const userPatchSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    password: passwordSchema.optional(),
    role: roleFields.role.optional(),
    bodyId: z.string().min(1).max(100).nullable().optional(),
    regions: roleFields.regions.optional(),
    disabled: z.boolean().optional(),
  })
  .strict();

export const newApiKeySchema = z
  .object({ name: z.string().trim().min(1).max(200), ...roleFields, expiresInDays: z.number().int().min(1).max(3650).optional() })
  .strict()
  .superRefine(checkRoleFields);

export const loginSchema = z.object({ login: z.string().trim().toLowerCase().min(1).max(64), password: z.string().min(1).max(256) }).strict();

export type NewUser = z.infer<typeof newUserSchema>;
export type UserPatch = z.infer<typeof userPatchSchema>;
export type NewApiKey = z.infer<typeof newApiKeySchema>;

/** A user as stored, without the password hash (which never leaves the store). */
export interface User {
  id: string;
  login: string;
  name: string;
  role: Role;
  bodyId?: string;
  regions: string[];
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ApiKeyInfo {
  id: string;
  name: string;
  role: Role;
  bodyId?: string;
  regions: string[];
  createdAt: string;
  expiresAt?: string;
  /** The first characters, so an admin can tell keys apart without seeing them. */
  prefix: string;
}

export function principalOfUser(u: User): Principal {
  return { kind: 'user', id: u.id, name: u.name, role: u.role, ...(u.bodyId ? { bodyId: u.bodyId } : {}), regions: u.regions };
}

export function principalOfKey(k: ApiKeyInfo): Principal {
  return { kind: 'api_key', id: k.id, name: k.name, role: k.role, ...(k.bodyId ? { bodyId: k.bodyId } : {}), regions: k.regions };
}

/** The role/field combination a patched user ends up with must still make sense. */
export function applyPatch(u: User, p: UserPatch, at: string): User {
  const next: User = {
    ...u,
    ...(p.name !== undefined ? { name: p.name } : {}),
    ...(p.role !== undefined ? { role: p.role } : {}),
    ...(p.regions !== undefined ? { regions: p.regions } : {}),
    ...(p.disabled !== undefined ? { disabled: p.disabled } : {}),
    updatedAt: at,
  };
  if (p.bodyId === null) delete next.bodyId;
  else if (p.bodyId !== undefined) next.bodyId = p.bodyId;
  if (next.role !== 'responder') delete next.bodyId;
  if (next.role !== 'moderator') next.regions = [];
  return next;
}
