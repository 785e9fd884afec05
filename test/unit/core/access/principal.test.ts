import { describe, expect, it } from 'vitest';
import { applyPatch, newUserSchema, type User } from '../../../../src/core/access/principal.js';

const user: User = { id: 'ivanova', login: 'ivanova', name: 'Иванова', role: 'moderator', regions: ['г. Энск'], disabled: false, createdAt: 't0', updatedAt: 't0' };

describe('users', () => {
  it('role fields must fit the role', () => {
    const base = { login: 'Petrov', name: 'Петров', password: 'long-enough-1' };
    expect(newUserSchema.parse({ ...base, role: 'responder', bodyId: 'city-roads' })).toMatchObject({ login: 'petrov', regions: [] });
    expect(newUserSchema.safeParse({ ...base, role: 'responder' }).success).toBe(false);
    expect(newUserSchema.safeParse({ ...base, role: 'analyst', bodyId: 'city-roads' }).success).toBe(false);
    expect(newUserSchema.safeParse({ ...base, role: 'analyst', regions: ['г. Энск'] }).success).toBe(false);
    expect(newUserSchema.safeParse({ ...base, role: 'admin', password: 'short' }).success).toBe(false);
    expect(newUserSchema.safeParse({ ...base, login: 'иванова', role: 'admin' }).success).toBe(false);
    expect(newUserSchema.safeParse({ ...base, role: 'admin', isAdmin: true }).success).toBe(false);
  });

  it('a patch that changes the role drops what the old role had', () => {
    const responder = applyPatch(user, { role: 'responder', bodyId: 'city-roads' }, 't1');
    expect(responder).toMatchObject({ role: 'responder', bodyId: 'city-roads', regions: [], updatedAt: 't1' });
    const analyst = applyPatch(responder, { role: 'analyst' }, 't2');
    expect(analyst.bodyId).toBeUndefined();
    expect(applyPatch(user, { disabled: true }, 't3')).toMatchObject({ disabled: true, regions: ['г. Энск'] });
  });
});
