import { describe, expect, it } from 'vitest';
import { Router, routingRulesSchema } from '../../../src/core/routing/router.js';
import { trainRouteModel } from '../../../src/core/routing/learned-router.js';
// @ts-expect-error -- a browser module without types
import { routeReasonText } from '../../../console/format.js';

const body = (id: string, extra: object = {}) => ({ id, name: id, timeZone: 'Europe/Moscow', ...extra });
const rules = routingRulesSchema.parse({
  version: 1,
  fallbackBody: 'cur',
  slaPolicies: { standard: { normal: { firstResponse: 'working-time:480', finalAnswer: 'working-time:3360' }, high: { firstResponse: 'working-time:240', finalAnswer: 'working-time:1440' } } },
  bodies: [body('cur'), body('a'), body('b'), body('parks'), body('town-admin', { territory: 'Город', administration: true })],
  routes: [
    { topic: 'housing', body: 'a' },
    { topic: 'housing', body: 'b' },
    { topic: 'roads', keywords: ['яма'], body: 'a' },
    { topic: 'roads', territory: 'Город', body: '@administration' },
  ],
});
const labels = [
  ...['Сухое дерево во дворе', 'Спилить аварийный тополь', 'Дерево упало в сквере'].map((text) => ({ text, topic: 'landscaping', body: 'parks' })),
  ...['Управляющая компания не убирает', 'УК не чистит подъезд', 'Жалоба на управляющую компанию'].map((text) => ({ text, topic: 'housing', body: 'b' })),
];
const dir = { topicNames: new Map([['housing', 'ЖКХ'], ['roads', 'Дороги'], ['landscaping', 'Благоустройство']]) };
const text = (reason: string) => (routeReasonText as (r: string, d: typeof dir) => string)(reason, dir);

describe("the console's reading of the router's reasons", () => {
  it('every form the router writes reads in Russian, with no English words left', () => {
    const router = new Router(rules, undefined, trainRouteModel(labels, { calibrationFolds: 0 }));
    const reasons = [
      router.route('ecology', undefined, 'что-то').reason, // fallback
      router.route('landscaping', undefined, 'Сухое дерево у подъезда').reason, // learned, no route
      router.route('housing', undefined, 'Управляющая компания не убирает двор').reason, // learned among equal routes
      router.route('roads', 'Город', 'глубокая яма').reason, // territory over keywords, administration
    ];
    expect(reasons.map((r) => r.split(' ')[0])).toEqual(['no', 'learned', 'route', 'route']);
    for (const r of reasons) {
      const t = text(r);
      expect(t, r).toMatch(/[а-яё]/i);
      expect(t, r).not.toMatch(/\b(?:learned|route|over|fallback|administration|no)\b/);
    }
    expect(text(reasons[1] as string)).toMatch(/по прежним решениям модераторов \(уверенность [01],\d\d\)/);
    expect(text(reasons[2] as string)).toMatch(/из равных правил выбрано по прежним решениям модераторов/);
  });
});
