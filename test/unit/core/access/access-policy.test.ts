import { describe, expect, it } from 'vitest';
import { AccessPolicy } from '../../../../src/core/access/access-policy.js';
import type { Principal } from '../../../../src/core/access/principal.js';
import { alertIncident, shippedEnv } from '../../../helpers/incident-env.js';

const env = shippedEnv();
// A tiny territory tree: the city is inside the region, a district inside the city.
const inside: Record<string, string[]> = { 'Энская область': ['г. Энск', 'г. Энск, Заречный район', 'г. Заводск'], 'г. Энск': ['г. Энск, Заречный район'] };
const policy = new AccessPolicy({ bodies: env.bodies, contains: (outer, inner) => outer === inner || (inside[outer] ?? []).includes(inner), inside: (r) => [r, ...(inside[r] ?? [])] });

const who = (role: Principal['role'], over: Partial<Principal> = {}): Principal => ({ kind: 'user', id: role, name: role, role, regions: [], ...over });
const routedTo = (bodyId: string, territory = 'г. Энск') => alertIncident({ status: 'routed', bodyId, territory });

describe('AccessPolicy', () => {
  it("a moderator's regions scope every read of posts and reports; others are not scoped", () => {
    const enskMod = who('moderator', { regions: ['г. Энск'] });
    expect(policy.territoryScope(enskMod)).toEqual({ exact: ['г. Энск', 'г. Энск, Заречный район'], prefixes: ['г. Энск, ', 'г. Энск, Заречный район, '] });
    expect(policy.territoryScope(who('moderator'))).toBeUndefined();
    expect(policy.territoryScope(who('analyst'))).toBeUndefined();
    expect(() => policy.requireRegion(enskMod, 'г. Энск, Заречный район')).not.toThrow();
    expect(() => policy.requireRegion(enskMod, 'Энская область')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => policy.requireRegion(enskMod, undefined)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => policy.requireRegion(who('analyst'), undefined)).not.toThrow();
  });

  it('responders see incidents routed to their body or below it, never alerts or other bodies', () => {
    const roads = who('responder', { bodyId: 'city-roads' });
    const city = who('responder', { bodyId: 'city-admin' });
    expect(policy.canSee(roads, routedTo('city-roads'))).toBe(true);
    expect(policy.canSee(roads, routedTo('city-housing'))).toBe(false);
    expect(policy.canSee(city, routedTo('city-roads'))).toBe(true);
    expect(policy.canSee(roads, alertIncident({ proposedBodyId: 'city-roads' }))).toBe(false);
    expect(policy.canSee(who('responder', { bodyId: 'no-such-body' }), routedTo('city-roads'))).toBe(false);
  });

  it('moderators see their regions, and incidents of unknown territory', () => {
    const enskMod = who('moderator', { regions: ['г. Энск'] });
    const zavodskMod = who('moderator', { regions: ['г. Заводск'] });
    expect(policy.canSee(enskMod, alertIncident({ territory: 'г. Энск, Заречный район' }))).toBe(true);
    expect(policy.canSee(zavodskMod, alertIncident({ territory: 'г. Энск, Заречный район' }))).toBe(false);
    expect(policy.canSee(zavodskMod, alertIncident({ territory: undefined }))).toBe(true);
    expect(policy.canSee(who('moderator'), alertIncident({ territory: 'г. Энск' }))).toBe(true);
  });

  it('a scoped principal gets the same FORBIDDEN for a foreign and a missing incident; admins get NOT_FOUND', () => {
    const roads = who('responder', { bodyId: 'city-roads' });
    expect(() => policy.requireVisible(roads, 'inc_x', routedTo('city-housing'))).toThrow(expect.objectContaining({ code: 'FORBIDDEN', message: 'you have no access to incident inc_x' }));
    expect(() => policy.requireVisible(roads, 'inc_x', undefined)).toThrow(expect.objectContaining({ code: 'FORBIDDEN', message: 'you have no access to incident inc_x' }));
    expect(() => policy.requireVisible(who('admin'), 'inc_x', undefined)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('capabilities by role; analysts never become actors', () => {
    expect(policy.can(who('analyst'), 'search')).toBe(true);
    expect(policy.can(who('analyst'), 'incidents:act')).toBe(false);
    expect(policy.can(who('responder'), 'search')).toBe(false);
    expect(policy.can(who('moderator'), 'users:manage')).toBe(false);
    expect(() => policy.actor(who('analyst'))).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(policy.actor(who('responder', { id: 'ivanov', bodyId: 'city-roads' }))).toEqual({ id: 'user:ivanov', role: 'responder', bodyId: 'city-roads' });
    expect(policy.actor({ ...who('moderator'), kind: 'api_key', id: 'k1' })).toEqual({ id: 'key:k1', role: 'moderator' });
  });
});
