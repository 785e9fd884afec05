import { describe, expect, it } from 'vitest';
import { Router, routingRulesSchema } from '../../../../src/core/routing/router.js';
import { rankBodies, trainRouteModel, type RoutingLabel } from '../../../../src/core/routing/learned-router.js';

const body = (id: string) => ({ id, name: id, timeZone: 'Europe/Moscow' });
const rules = routingRulesSchema.parse({
  version: 1,
  fallbackBody: 'cur',
  slaPolicies: { standard: { normal: { firstResponse: 'working-time:480', finalAnswer: 'working-time:3360' }, high: { firstResponse: 'working-time:240', finalAnswer: 'working-time:1440' } } },
  bodies: [body('cur'), body('city-housing'), body('housing-inspection'), body('roads'), body('parks')],
  routes: [
    { topic: 'roads', body: 'roads' },
    // Two routes of equal precedence for one topic: the rules alone say nothing but file order.
    { topic: 'housing', body: 'city-housing' },
    { topic: 'housing', body: 'housing-inspection' },
  ],
});

// Moderators' decisions written for the test: trees go to the parks service (no route says so);
// complaints about a managing company go to the housing inspection, repairs of the city's own
// housing to the city committee — what no topic × place rule can tell apart.
const labels: RoutingLabel[] = [
  ...['Аварийное дерево во дворе дома 5', 'Сухое дерево нависает над детской площадкой', 'Просим спилить тополь у подъезда', 'Дерево упало на газон в сквере', 'Обрезать ветки деревьев у школы'].map((text) => ({ text, topic: 'landscaping', body: 'parks' })),
  ...['Управляющая компания не убирает подъезд', 'УК завысила плату за содержание', 'Управляющая компания не отвечает на заявки', 'Жалоба на управляющую компанию: течет крыша', 'Управляйка не чистит мусоропровод'].map((text) => ({ text, topic: 'housing', body: 'housing-inspection' })),
  ...['Капитальный ремонт муниципального дома затянулся', 'Расселение аварийного дома по программе', 'Ремонт муниципальной квартиры не сделан', 'Аварийный муниципальный барак расселить', 'Муниципальное жилье требует ремонта кровли'].map((text) => ({ text, topic: 'housing', body: 'city-housing' })),
];

describe('the learned router', () => {
  const model = trainRouteModel(labels, { calibrationFolds: 0 });

  it('learns bodies with enough decisions; with fewer than two such bodies there is nothing to learn', () => {
    expect(model?.labels).toEqual(['city-housing', 'housing-inspection', 'parks']);
    expect(model?.featureSet).toBe('route');
    expect(trainRouteModel(labels.filter((l) => l.body === 'parks'))).toBeUndefined();
    expect(trainRouteModel([...labels.slice(0, 5), { text: 'Один раз', topic: 'roads', body: 'roads' }])).toBeUndefined();
  });

  it('ranks the body moderators chose for posts like this first', () => {
    expect(rankBodies(model!, 'Сухое дерево у дома 9 вот-вот упадет', 'landscaping', undefined)[0]?.bodyId).toBe('parks');
  });

  it('speaks where the rules are silent, and says so; not sure enough, the fallback stays', () => {
    const router = new Router(rules, undefined, model);
    const d = router.route('landscaping', undefined, 'Аварийное дерево у подъезда дома 12, просим спилить');
    expect(d).toMatchObject({ bodyId: 'parks' });
    expect(d.reason).toMatch(/^learned [01]\.\d\d; no route for landscaping$/);
    expect(d.learned).toBeGreaterThanOrEqual(0.5);
    expect(d.fallback).toBeUndefined();
    // Without the model the same post goes to the fallback body.
    expect(new Router(rules).route('landscaping', undefined, 'Аварийное дерево у подъезда дома 12, просим спилить')).toMatchObject({ bodyId: 'cur', fallback: true });
    // Words it never saw under a topic it never saw: no body is likely enough, the fallback decides.
    expect(router.route('ecology', undefined, 'Что-то непонятное')).toMatchObject({ bodyId: 'cur', fallback: true });
  });

  it('proposes where the rules are silent as boldly as the region says (learnedProposeMin)', () => {
    // Housing has no route here; this post is nearly as much the inspection's as the committee's.
    const silent = { ...rules, routes: [{ topic: 'roads', body: 'roads' }] };
    const text = 'Что-то с домом не так';
    const best = rankBodies(model!, text, 'housing', undefined)[0]!;
    expect(best.p).toBeGreaterThan(0.5);
    expect(best.p).toBeLessThan(0.9);
    const at = (min: number) => new Router(routingRulesSchema.parse({ ...silent, learnedProposeMin: min }), undefined, model);
    // By default (0.5) it proposes; a cautious region (0.9) keeps the fallback; a bold one (0) always guesses.
    expect(new Router(routingRulesSchema.parse(silent), undefined, model).route('housing', undefined, text)).toMatchObject({ bodyId: best.bodyId });
    expect(at(0.9).route('housing', undefined, text)).toMatchObject({ bodyId: 'cur', fallback: true });
    expect(at(0).route('housing', undefined, text)).toMatchObject({ bodyId: best.bodyId, learned: Math.round(best.p * 100) / 100 });
    expect(at(0).route('housing', undefined, text).reason).toMatch(/^learned 0\.\d\d; no route for housing$/);
    // A topic it never learnt: even a bold router does not guess.
    expect(at(0).route('ecology', undefined, text)).toMatchObject({ bodyId: 'cur', fallback: true });
    // The threshold survives a change of route table.
    expect(at(0.9).withTable({ fallbackBody: 'cur', routes: [] }).route('housing', undefined, text).bodyId).toBe('cur');
    expect(routingRulesSchema.safeParse({ ...silent, learnedProposeMin: 1.5 }).success).toBe(false);
  });

  it('breaks a tie between routes of equal precedence; a route that decides alone is never overruled', () => {
    const router = new Router(rules, undefined, model);
    const uk = router.route('housing', undefined, 'Управляющая компания не чистит подъезд третий месяц');
    expect(uk.bodyId).toBe('housing-inspection');
    expect(uk.reason).toMatch(/^route housing; over housing; learned [01]\.\d\d$/);
    expect(router.route('housing', undefined, 'Муниципальный дом в аварийном состоянии, нужен ремонт').bodyId).toBe('city-housing');
    // Without the model, file order decides the tie.
    expect(new Router(rules).route('housing', undefined, 'Управляющая компания не чистит подъезд').bodyId).toBe('city-housing');
    // One route for roads: the model (which never learnt roads) has no say.
    expect(router.route('roads', undefined, 'Аварийное дерево упало на дорогу')).toMatchObject({ bodyId: 'roads' });
    expect(router.route('roads', undefined, 'Аварийное дерево упало на дорогу').learned).toBeUndefined();
  });

  it('never proposes a body the rules no longer define, and survives a change of route table', () => {
    const without = routingRulesSchema.parse({ ...rules, bodies: rules.bodies.filter((b) => b.id !== 'parks') });
    expect(new Router(without, undefined, model).route('landscaping', undefined, 'Аварийное дерево во дворе, спилить').bodyId).toBe('cur');
    const swapped = new Router(rules, undefined, model).withTable({ fallbackBody: 'cur', routes: [] });
    expect(swapped.learnedModel).toBe(model);
    expect(swapped.route('landscaping', undefined, 'Аварийное дерево во дворе дома 5').bodyId).toBe('parks');
  });

  it('refuses a model of other features', () => {
    expect(() => new Router(rules, undefined, { ...model!, featureSet: 'topic' })).toThrow(/route features/);
  });
});
