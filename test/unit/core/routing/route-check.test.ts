import { describe, expect, it } from 'vitest';
import { checkRoutes } from '../../../../src/core/routing/route-check.js';

const parents: Record<string, string | undefined> = { 'Курская обл.': undefined, 'г. Курск': 'Курская обл.', 'г. Льгов': 'Курская обл.' };
const knowledge = {
  knownTerritory: (id: string) => id in parents,
  contains: (outer: string, inner: string) => {
    for (let t: string | undefined = inner; t !== undefined; t = parents[t]) if (t === outer) return true;
    return false;
  },
  administered: ['г. Льгов'],
};

describe('checking a route table', () => {
  it('names shadowed, redundant, unknown-territory and administration-less routes; a sound table has none', () => {
    const problems = checkRoutes(
      {
        fallbackBody: 'cur',
        routes: [
          { topic: 'roads', body: '@administration' },
          { topic: 'roads', territory: 'г. Курск', body: 'kursk-roads' },
          { topic: 'roads', territory: 'г. Курск', body: 'other' },
          { topic: 'roads', territory: 'г Курск', body: 'kursk-roads' },
          { topic: 'waste', territory: 'г. Курск', body: '@administration' },
          { topic: 'housing', body: 'inspection' },
          { topic: 'housing', keywords: ['крыш*'], body: 'inspection' },
        ],
      },
      knowledge,
    );
    expect(problems.map((p) => [p.route, p.kind])).toEqual([
      [2, 'shadowed'],
      [3, 'unknown_territory'],
      [4, 'no_administration'],
      [6, 'redundant'],
    ]);
    expect(problems[0]?.message).toContain('route 1 has the same topic, territory and words');
    expect(checkRoutes({ fallbackBody: 'cur', routes: [{ topic: 'roads', body: '@administration' }, { topic: 'roads.potholes', territory: 'г. Курск', body: 'kursk-roads' }] }, knowledge)).toEqual([]);
  });
});
