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
    { topic: 'transport', keywords: ['трамва*', 'рельс'], body: 'tram' },
    { topic: 'transport', territory: 'Север', keywords: ['трамва*'], body: 'tram-north' },
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
  it('keywords are terms, as in every rule file: a prefix with *, any form of a word without', () => {
    expect(router.route('transport', undefined, 'Трамвайные пути разбиты')).toEqual({ bodyId: 'tram', reason: 'route transport × "трамва*"' });
    expect(router.route('transport', undefined, 'На рельсах лёд').reason).toBe('route transport × "рельс"');
    expect(router.route('transport', 'Север', 'Трамвай не ходит')).toEqual({ bodyId: 'tram-north', reason: 'route transport × Север × "трамва*"; over transport × "трамва*"' });
    expect(router.route('transport', undefined, 'Автобус опять опоздал').bodyId).toBe('cur');
    // Inside a word does not count, nor a word that merely starts like a stem.
    expect(router.route('transport', undefined, 'перельсовый').bodyId).toBe('cur');
  });
  it("a topic inside a group has its own routes, and falls back to the group's", () => {
    expect(router.route('snow.yards', undefined)).toEqual({ bodyId: 'housing', reason: 'route snow.yards; over snow' });
    expect(router.route('snow.roads', undefined)).toEqual({ bodyId: 'roads', reason: 'route snow' });
    expect(router.route('roads.potholes', 'Север').bodyId).toBe('roads-north');
  });
  it('a route for a territory covers its parts, when told which contain which', () => {
    const nested = new Router(rules, (outer, inner) => inner === outer || inner.startsWith(`${outer}, `));
    expect(nested.route('roads', 'Север, мкр. Лесной').bodyId).toBe('roads-north');
    expect(router.route('roads', 'Север, мкр. Лесной').bodyId).toBe('roads');
  });
  it('falls back when no route matches, and says so', () => {
    expect(router.route('animals', 'Север')).toEqual({ bodyId: 'cur', reason: 'no route for animals: fallback', fallback: true });
  });
});

describe('a region routed by places (the traps of setting up a real one)', () => {
  // Region → city / town; the city has districts. Written for this test.
  const parents: Record<string, string | undefined> = { 'Курская обл.': undefined, 'г. Курск': 'Курская обл.', 'г. Курск, Сеймский округ': 'г. Курск', 'г. Льгов': 'Курская обл.', 'Льговский р-н': 'Курская обл.' };
  const tree = {
    parentOf: (id: string) => parents[id],
    depthOf: (id: string) => {
      let d = 0;
      for (let p = parents[id]; p !== undefined; p = parents[p]) d++;
      return d;
    },
    contains: (outer: string, inner: string) => {
      for (let t: string | undefined = inner; t !== undefined; t = parents[t]) if (t === outer) return true;
      return false;
    },
  };
  const body = (id: string, extra: object = {}) => ({ id, name: id, timeZone: 'Europe/Moscow', ...extra });
  const region = routingRulesSchema.parse({
    version: 1,
    fallbackBody: 'cur',
    slaPolicies: rules.slaPolicies,
    bodies: [
      body('cur'),
      body('region-admin', { territory: 'Курская обл.', administration: true }),
      body('kursk-admin', { territory: 'г. Курск', administration: true }),
      body('lgov-admin', { territory: 'г. Льгов', administration: true }),
      body('kursk-roads'),
      body('housing-inspection'),
      body('uk-complaints'),
    ],
    routes: [
      // "This topic goes to the administration of the place", once for every municipality.
      { topic: 'roads', body: '@administration' },
      { topic: 'roads.potholes', territory: 'г. Курск', body: 'kursk-roads' },
      { topic: 'housing', body: 'housing-inspection' },
      { topic: 'housing', keywords: ['=ук', 'управляющ* компани*'], exclude: ['укус*'], body: 'uk-complaints' },
    ],
  });
  const router = new Router(region, tree);

  it('a topic goes to the administration of the place, the nearest one walking up', () => {
    expect(router.route('roads', 'г. Льгов')).toEqual({ bodyId: 'lgov-admin', reason: 'route roads → administration of г. Льгов' });
    expect(router.route('roads', 'г. Курск, Сеймский округ').bodyId).toBe('kursk-admin');
    // A district with no administration of its own: the region's.
    expect(router.route('roads', 'Льговский р-н')).toMatchObject({ bodyId: 'region-admin', reason: 'route roads → administration of Курская обл.' });
    // No place known: the route cannot say whose administration, so it does not apply.
    expect(router.route('roads', undefined)).toMatchObject({ bodyId: 'cur', fallback: true });
  });

  it("the deeper territory wins over the finer topic, and the reason names what it won over", () => {
    // A pothole in Курск goes to the city's roads committee, over the city's administration.
    expect(router.route('roads.potholes', 'г. Курск, Сеймский округ')).toEqual({ bodyId: 'kursk-roads', reason: 'route roads.potholes × г. Курск; over roads → administration of г. Курск' });
    // A pothole in Льгов does not go to Курск's committee.
    expect(router.route('roads.potholes', 'г. Льгов').bodyId).toBe('lgov-admin');
  });

  it('keywords take term syntax with exact forms and exclusions: «ук» is not «укус»', () => {
    expect(router.route('housing', 'г. Курск', 'УК не чистит подъезд').bodyId).toBe('uk-complaints');
    expect(router.route('housing', 'г. Курск', 'Жалоба на управляющую компанию').bodyId).toBe('uk-complaints');
    expect(router.route('housing', 'г. Курск', 'Укусы клопов в общежитии, УК молчит').bodyId).toBe('housing-inspection');
    expect(router.route('housing', 'г. Курск', 'Протекает крыша').bodyId).toBe('housing-inspection');
  });

  it('refuses an administration without a territory, and two for one place', () => {
    const bad = routingRulesSchema.safeParse({ ...region, bodies: [...region.bodies, body('x', { administration: true }), body('y', { territory: 'г. Льгов', administration: true })] });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues.map((i) => i.message))).toMatch(/administration of no territory.*two administrations of \\"г. Льгов\\"/);
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
