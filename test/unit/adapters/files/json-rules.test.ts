import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadJsonRules, parseJsonRules } from '../../../../src/adapters/files/json-rules.js';
import { topicRulesSchema } from '../../../../src/core/classify/rules.js';
import { routingRulesSchema } from '../../../../src/core/routing/router.js';
import { projectRoot } from '../../../../src/paths.js';

describe('rule files', () => {
  it('the shipped rule files load', () => {
    expect(loadJsonRules(join(projectRoot, 'rules/topics.json'), topicRulesSchema).topics.length).toBeGreaterThanOrEqual(13);
    expect(loadJsonRules(join(projectRoot, 'rules/routing.json'), routingRulesSchema).bodies.length).toBeGreaterThan(1);
  });

  it('a broken file fails with the file, the key and the problem', () => {
    expect(() => parseJsonRules('{"version":1,"topics":[{"id":"roads","name":"Дороги","stems":["Яма"]}]}', topicRulesSchema, 'rules/topics.json')).toThrow(
      /rules\/topics\.json: .*topics\.0\.stems\.0: lower-case letters only/,
    );
    expect(() => parseJsonRules('{"version":1,', topicRulesSchema, 'rules/topics.json')).toThrow(
      expect.objectContaining({ code: 'RULES_INVALID', message: expect.stringContaining('rules/topics.json: not valid JSON') }),
    );
  });

  it('routing to an unknown body is refused', () => {
    const text = JSON.stringify({ version: 1, fallbackBody: 'x', slaPolicies: {}, bodies: [{ id: 'x', name: 'X', timeZone: 'Europe/Moscow' }], routes: [{ topic: 'roads', body: 'nope' }] });
    expect(() => parseJsonRules(text, routingRulesSchema, 'rules/routing.json')).toThrow(/routes\.0\.body: unknown body "nope"/);
    expect(() => parseJsonRules(text, routingRulesSchema, 'rules/routing.json')).toThrow(/bodies\.0\.sla: unknown SLA policy set "standard"/);
  });

  it('a missing file names the file', () => {
    expect(() => loadJsonRules('/no/such/rules.json', topicRulesSchema, 'rules/x.json')).toThrow(/rules\/x\.json: cannot read/);
  });
});
