import { describe, expect, it } from 'vitest';
import { Router, routeTableProblems, routingRulesSchema } from '../../../../src/core/routing/router.js';

const rules = routingRulesSchema.parse({
  version: 1,
  fallbackBody: 'cur',
  slaPolicies: { standard: { normal: { firstResponse: 'working-time:480', finalAnswer: 'working-time:3360' }, high: { firstResponse: 'working-time:240', finalAnswer: 'working-time:1440' } } },
  bodies: [
    { id: 'cur', name: 'ЦУР', timeZone: 'Europe/Moscow' },
    { id: 'roads', name: 'Дороги', timeZone: 'Europe/Moscow' },
    { id: 'roads-north', name: 'Дороги, север', timeZone: 'Europe/Moscow' },
    { id: 'tram', name: 'Трамвайное управление', timeZone: 'Europe/Moscow' },
    { id: 'tram-north', name: 'Трамвайное депо, север', timeZone: 'Europe/Moscow' },
    { id: 'housing', name: 'ЖКХ', timeZone: 'Europe/Moscow' },
  ],
  routes: [
    { topic: 'roads', body: 'roads' },
    { topic: 'roads', territory: 'Север', body: 'roads-north' },
    { topic: 'transport', keywords: ['трамва', 'рельс'], body: 'tram' },
    { topic: 'transport', territory: 'Север', keywords: ['трамва'], body: 'tram-north' },
    { topic: 'snow', body: 'roads' },
    { topic: 'snow.yards', body: 'housing' },
  ],
});

describe('Router', () => {
  const router = new Router(rules);
  it('prefers topic × territory over topic alone', () => {
    expect(router.route('roads', 'Север').bodyId).toBe('roads-north');
    expect(router.route('roads', 'Юг').bodyId).toBe('roads');
    expect(router.route('roads', undefined).bodyId).toBe('roads');
  });
  it('keyword routes apply only when the post has a word starting with a keyword', () => {
    expect(router.route('transport', undefined, 'Трамвайные пути разбиты')).toEqual({ bodyId: 'tram', reason: 'route transport × "трамва"' });
    expect(router.route('transport', 'Север', 'Трамвай не ходит')).toEqual({ bodyId: 'tram-north', reason: 'route transport × Север × "трамва"' });
    expect(router.route('transport', undefined, 'Автобус опять опоздал').bodyId).toBe('cur');
    // Inside a word does not count.
    expect(router.route('transport', undefined, 'перельсовый').bodyId).toBe('cur');
  });
  it("a topic inside a group has its own routes, and falls back to the group's", () => {
    expect(router.route('snow.yards', undefined)).toEqual({ bodyId: 'housing', reason: 'route snow.yards' });
    expect(router.route('snow.roads', undefined)).toEqual({ bodyId: 'roads', reason: 'route snow' });
    expect(router.route('roads.potholes', 'Север').bodyId).toBe('roads-north');
  });
  it('a route for a territory covers its parts, when told which contain which', () => {
    const nested = new Router(rules, (outer, inner) => inner === outer || inner.startsWith(`${outer}, `));
    expect(nested.route('roads', 'Север, мкр. Лесной').bodyId).toBe('roads-north');
    expect(router.route('roads', 'Север, мкр. Лесной').bodyId).toBe('roads');
  });
  it('falls back when no route matches, and says so', () => {
    expect(router.route('animals', 'Север')).toEqual({ bodyId: 'cur', reason: 'no route for animals: fallback' });
  });
});

describe('route tables set at run time', () => {
  it('withTable routes by the new table and keeps the old router as it was', () => {
    const router = new Router(rules);
    const changed = router.withTable({ fallbackBody: 'housing', routes: [{ topic: 'roads', body: 'tram' }] });
    expect(changed.route('roads', 'Север').bodyId).toBe('tram');
    expect(changed.route('ecology', undefined).bodyId).toBe('housing');
    expect(router.route('roads', 'Север').bodyId).toBe('roads-north');
  });

  it('names every unknown body and topic of a table', () => {
    const known = { bodies: (id: string) => ['cur', 'roads'].includes(id), topics: (id: string) => ['roads', 'snow.yards'].includes(id) };
    expect(routeTableProblems({ fallbackBody: 'cur', routes: [{ topic: 'roads', body: 'roads' }, { topic: 'snow.yards', body: 'roads' }] }, known)).toEqual([]);
    expect(routeTableProblems({ fallbackBody: 'nobody', routes: [{ topic: 'raods', body: 'roads' }, { topic: 'roads', body: 'ghost' }] }, known)).toEqual([
      'fallbackBody: unknown body "nobody"',
      'routes.0.topic: unknown topic "raods"',
      'routes.1.body: unknown body "ghost"',
    ]);
  });
});
