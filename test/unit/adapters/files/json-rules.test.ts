import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadJsonRules, parseJsonRules } from '../../../../src/adapters/files/json-rules.js';
import { taxonomySchema } from '../../../../src/core/classify/taxonomy.js';
import { cuesSchema } from '../../../../src/core/classify/cues.js';
import { alertPolicySchema } from '../../../../src/core/classify/alert-policy.js';
import { gazetteerSchema } from '../../../../src/core/classify/gazetteer.js';
import { routingRulesSchema } from '../../../../src/core/routing/router.js';
import { projectRoot } from '../../../../src/paths.js';

describe('rule files', () => {
  it('the shipped rule files load', () => {
    expect(loadJsonRules(join(projectRoot, 'rules/topics.json'), taxonomySchema).groups.length).toBeGreaterThanOrEqual(13);
    expect(loadJsonRules(join(projectRoot, 'rules/cues.json'), cuesSchema).sentiment.negative.length).toBeGreaterThan(10);
    expect(loadJsonRules(join(projectRoot, 'rules/alerts.json'), alertPolicySchema).priority.high.length).toBeGreaterThan(0);
    expect(loadJsonRules(join(projectRoot, 'rules/gazetteer.json'), gazetteerSchema).territories.length).toBeGreaterThan(0);
    expect(loadJsonRules(join(projectRoot, 'rules/routing.json'), routingRulesSchema).bodies.length).toBeGreaterThan(1);
  });

  it('a broken file fails with the file, the key and the problem', () => {
    const topics = (group: object) => JSON.stringify({ version: 2, groups: [{ id: 'roads', name: 'Дороги', ...group }] });
    expect(() => parseJsonRules(topics({ terms: ['яма'], topics: [{ id: 'potholes', name: 'Ямы', terms: ['яма^x'] }] }), taxonomySchema, 'rules/topics.json')).toThrow(
      /rules\/topics\.json: groups\.0\.topics\.0\.terms\.0: weight after \^ must be a number/,
    );
    expect(() => parseJsonRules(topics({ terms: ['ям*'] }), taxonomySchema, 'rules/topics.json')).toThrow(/groups\.0\.terms\.0: "ям\*": a prefix needs at least 3 letters/);
    expect(() => parseJsonRules(topics({ terms: ['яма, выбоина'] }), taxonomySchema, 'rules/topics.json')).toThrow(/groups\.0\.terms\.0: "яма," is not a word/);
    expect(() => parseJsonRules(topics({ terms: ['яма'], topics: [{ id: 'potholes', name: 'Ямы' }] }), taxonomySchema, 'rules/topics.json')).toThrow(/groups\.0\.topics\.0: a topic needs at least one term/);
    expect(() => parseJsonRules(topics({ terms: ['яма'], colour: 'red' }), taxonomySchema, 'rules/topics.json')).toThrow(/groups\.0: Unrecognized key\(s\) in object: 'colour'/);
    expect(() => parseJsonRules(JSON.stringify({ version: 2, groups: [{ id: 'other', name: 'Прочее', terms: ['x'] }] }), taxonomySchema, 'rules/topics.json')).toThrow(/"other" is what a post without a topic gets/);
    expect(() => parseJsonRules(JSON.stringify({ version: 1, territories: [{ id: 'A', parts: [{ id: 'A' }] }] }), gazetteerSchema, 'rules/gazetteer.json')).toThrow(/territories\.0\.parts\.0\.id: duplicate territory "A"/);
    expect(() => parseJsonRules('{"version":1,', taxonomySchema, 'rules/topics.json')).toThrow(
      expect.objectContaining({ code: 'RULES_INVALID', message: expect.stringContaining('rules/topics.json: not valid JSON') }),
    );
  });

  it('routing to an unknown body is refused', () => {
    const text = JSON.stringify({ version: 1, fallbackBody: 'x', slaPolicies: {}, bodies: [{ id: 'x', name: 'X', timeZone: 'Europe/Moscow' }], routes: [{ topic: 'roads', body: 'nope' }] });
    expect(() => parseJsonRules(text, routingRulesSchema, 'rules/routing.json')).toThrow(/routes\.0\.body: unknown body "nope"/);
    expect(() => parseJsonRules(text, routingRulesSchema, 'rules/routing.json')).toThrow(/bodies\.0\.sla: unknown SLA policy set "standard"/);
  });

  it('a missing file names the file', () => {
    expect(() => loadJsonRules('/no/such/rules.json', taxonomySchema, 'rules/x.json')).toThrow(/rules\/x\.json: cannot read/);
  });
});
