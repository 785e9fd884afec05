import { describe, expect, it } from 'vitest';
import { parseJsonRules } from '../../../../src/adapters/files/json-rules.js';
import { routingRulesSchema } from '../../../../src/core/routing/router.js';
import { shippedEnv } from '../../../helpers/incident-env.js';

const sla = { standard: { normal: { firstResponse: 'working-time:480', finalAnswer: 'working-time:3360' }, high: { firstResponse: 'working-time:240', finalAnswer: 'working-time:1440' } } };
const rules = (bodies: unknown[]) => JSON.stringify({ version: 1, fallbackBody: 'a', slaPolicies: sla, bodies, routes: [] });
const body = (id: string, more: Record<string, unknown> = {}) => ({ id, name: id, timeZone: 'Europe/Moscow', ...more });

describe('bodies in rules/routing.json', () => {
  it.each([
    [[body('a', { parent: 'b' }), body('b', { parent: 'a' })], /bodies\.0\.parent: parent chain of "a" loops through "a"/],
    [[body('a', { parent: 'zz' })], /bodies\.0\.parent: unknown body "zz"/],
    [[body('a', { hours: '09:00-13:00,12:00-18:00' })], /bodies\.0\.hours: intervals overlap/],
    [[body('a', { timeZone: 'Europe/Atlantis' })], /bodies\.0\.timeZone: "Europe\/Atlantis" is not an IANA time zone/],
    [[body('a', { sla: 'gold' })], /bodies\.0\.sla: unknown SLA policy set "gold"/],
    [[body('a'), body('a')], /bodies\.1\.id: duplicate body "a"/],
  ])('a broken body is refused naming the key (%#)', (bodies, message) => {
    expect(() => parseJsonRules(rules(bodies), routingRulesSchema, 'rules/routing.json')).toThrow(message);
  });

  it('a broken SLA policy is refused naming the key', () => {
    const bad = JSON.stringify({ version: 1, fallbackBody: 'a', slaPolicies: { standard: { ...sla.standard, high: { firstResponse: 'weeks:1', finalAnswer: 'working-time:1' } } }, bodies: [body('a')], routes: [] });
    expect(() => parseJsonRules(bad, routingRulesSchema, 'rules/routing.json')).toThrow(/slaPolicies\.standard\.high\.firstResponse: policy "weeks:1"/);
  });

  it('the directory knows the hierarchy, schedules and policies of the shipped bodies', () => {
    const { bodies } = shippedEnv();
    expect(bodies.ancestors('city-roads').map((b) => b.id)).toEqual(['city-admin']);
    expect(bodies.ancestors('cur-moderators').map((b) => b.id)).toEqual(['region-gov']);
    expect([...bodies.subtree('city-admin')].sort()).toContain('city-roads');
    expect(bodies.subtree('city-roads')).toEqual(new Set(['city-roads']));
    expect(bodies.policies('city-roads', 'high')).toEqual({ firstResponse: { kind: 'working-time', minutes: 240 }, finalAnswer: { kind: 'working-time', minutes: 1440 }, warnAt: [0.5, 0.8] });
    expect(bodies.policies('cur-moderators', 'normal').firstResponse).toEqual({ kind: 'calendar-time', minutes: 1440 });
    expect(() => bodies.get('nope')).toThrow(expect.objectContaining({ code: 'BODY_UNKNOWN' }));
  });
});
