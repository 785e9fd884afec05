import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSearchIndex } from '../../../src/adapters/search/embedded/embedded.search-index.js';
import { ReportService } from '../../../src/reports/report-service.js';
import { monthlyCsv, monthlyHtml, quarterlyCsv, quarterlyHtml } from '../../../src/reports/render.js';
import type { SlaClock } from '../../../src/core/incident/incident.js';
import { doc } from '../../helpers/search-conformance.js';
import { alertIncident, shippedEnv } from '../../helpers/incident-env.js';

const ZARECHNY = 'г. Энск, Заречный район';
let index: EmbeddedSearchIndex;
let reports: ReportService;

function stoppedClock(bodyId: string, start: string, minutes: number, late: boolean): SlaClock {
  const stop = new Date(Date.parse(start) + minutes * 60_000).toISOString();
  return {
    id: 'first_response.body.1', kind: 'first_response', scope: 'body', bodyId, policy: 'working-time:480', startedAt: start, pauses: [],
    dueAt: late ? start : new Date(Date.parse(start) + 480 * 60_000).toISOString(), provisional: false, warnAt: [], warningsFired: [],
    stoppedAt: stop, outcome: late ? 'late' : 'met', elapsed: { wallMinutes: minutes, workingMinutes: minutes },
  };
}

beforeAll(async () => {
  index = new EmbeddedSearchIndex(join(mkdtempSync(join(tmpdir(), 'otklik-reports-')), 'i.sqlite'));
  const alert = (id: string, at: string, topic: string, territory: string) => doc({ id, text: `жалоба ${id}`, at, topic, territory, sentiment: 'negative', type: 'complaint', incidentId: `inc_${id}` });
  await index.indexPosts([
    alert('vk_aug1', '2026-08-10T09:00:00Z', 'roads', ZARECHNY),
    alert('vk_oct1', '2026-10-05T09:00:00Z', 'roads', ZARECHNY),
    alert('vk_oct2', '2026-10-06T09:00:00Z', 'roads', ZARECHNY),
    doc({ id: 'vk_oct3', text: 'просто пост', at: '2026-10-07T09:00:00Z', territory: 'г. Энск' }),
    alert('vk_nov1', '2026-11-02T09:00:00Z', 'roads', ZARECHNY),
    alert('vk_nov2', '2026-11-03T09:00:00Z', 'roads', ZARECHNY),
    alert('vk_nov3', '2026-11-04T09:00:00Z', 'roads', ZARECHNY),
    alert('vk_nov4', '2026-11-05T09:00:00Z', 'snow', 'г. Заводск'),
    doc({ id: 'vk_nov5', text: 'спасибо', at: '2026-11-06T09:00:00Z', territory: 'г. Энск', sentiment: 'positive' }),
    doc({ id: 'vk_nov6', text: '<script>alert(1)</script>', at: '2026-11-07T09:00:00Z', territory: 'г. Энск' }),
    // Midnight of 1 December in Moscow is still 30 November in UTC: it belongs to December.
    alert('vk_dec1', '2026-11-30T21:30:00Z', 'roads', ZARECHNY),
  ]);
  const incidents = [
    ...[1, 2, 3, 4, 5].map((n) => alertIncident({ id: `inc_r${n}`, status: 'answered_final', bodyId: 'city-roads', clocks: [stoppedClock('city-roads', `2026-11-1${n}T07:00:00Z`, 30 * n, false)] })),
    // Transport answers late twice, and three of its five answers are отписки; one author says nothing was done, one problem came back.
    ...[1, 2, 3, 4, 5].map((n) =>
      alertIncident({
        id: `inc_t${n}`,
        status: 'answered_final',
        bodyId: 'city-transport',
        clocks: [stoppedClock('city-transport', `2026-11-1${n}T07:00:00Z`, 600, n > 3)],
        answers: [{ kind: 'final', text: n <= 3 ? 'Ваше обращение принято и будет рассмотрено в установленный срок.' : 'Автобус №5 вернули на маршрут 20 ноября, расписание восстановлено.', publishedAt: `2026-11-1${n}T17:00:00.000Z`, by: 'resp' }],
        ...(n === 1 ? { reactions: [{ postId: 'vk_c1', at: '2026-11-12T09:00:00.000Z', verdict: 'unsatisfied' as const, cues: ['так и не'], byAuthor: true }], reopenings: 1 } : {}),
        ...(n === 5 ? { reactions: [{ postId: 'vk_c5', at: '2026-11-16T09:00:00.000Z', verdict: 'satisfied' as const, cues: ['спасибо'] }] } : {}),
      }),
    ),
    alertIncident({ id: 'inc_h1', status: 'answered_final', bodyId: 'city-housing', clocks: [stoppedClock('city-housing', '2026-11-10T07:00:00Z', 900, true)] }),
  ];
  await index.indexIncidents(incidents.map((incident) => ({ incident, events: [] })));
  const env = shippedEnv();
  reports = new ReportService({
    search: index,
    bodies: env.bodies,
    topicName: (id) => ({ roads: 'Дороги', snow: 'Снег' })[id] ?? id,
    contains: (outer, inner) => inner === outer || inner.startsWith(`${outer},`),
    now: () => new Date('2026-12-01T10:00:00Z'),
  });
});

afterAll(async () => {
  await index.close();
});

describe('monthly analytical note', () => {
  it('counts volumes and growth for the region only, months cut in the region\'s zone', async () => {
    const n = await reports.monthly('2026-11', 'г. Энск', 'Europe/Moscow');
    expect(n.posts).toEqual({ total: 5, previous: 3, growth: 0.667 });
    expect(n.alerts).toEqual({ total: 3, previous: 2, growth: 0.5 });
    expect(n.topics).toEqual([{ topic: 'roads', name: 'Дороги', alerts: 3, previous: 2, growth: 0.5 }]);
    expect(n.negativeShare).toBe(0.6);
    const all = await reports.monthly('2026-11', undefined, 'Europe/Moscow');
    expect(all.alerts.total).toBe(4);
    expect(all.topics.map((t) => t.topic).sort()).toEqual(['roads', 'snow']);
    expect((await reports.monthly('2026-12', undefined, 'Europe/Moscow')).alerts.total).toBe(1);
    expect((await reports.monthly('2026-11', undefined, 'UTC')).alerts.total).toBe(5);
  });

  it('names recurring problems: the same topic and territory in this month and the three before', async () => {
    const n = await reports.monthly('2026-11', 'г. Энск', 'Europe/Moscow');
    expect(n.recurring).toEqual([{ topic: 'roads', name: 'Дороги', territory: ZARECHNY, alerts: 3, before: 3 }]);
  });

  it('ranks bodies by SLA compliance, fastest and slowest, small counts apart', async () => {
    const n = await reports.monthly('2026-11', 'г. Энск', 'Europe/Moscow');
    expect(n.sla).toEqual({ measured: 11, met: 8, compliance: 0.727 });
    expect(n.fastest.map((b) => b.bodyId)).toEqual(['city-roads', 'city-transport']);
    expect(n.fastest[1]?.compliance).toBe(0.6);
    expect(n.unranked.map((b) => b.bodyId)).toEqual(['city-housing']);
  });

  it('reads as people write: the month by name, time in the zone as МСК, percentages with a comma, names not codes', async () => {
    const n = await reports.monthly('2026-11', 'г. Энск', 'Asia/Yekaterinburg');
    const html = monthlyHtml({ ...n, generatedAt: '2026-12-07T05:48:00.000Z', negativeShare: 0.125 });
    expect(html).toContain('Аналитическая записка за ноябрь 2026');
    expect(html).toContain('Сформирована 07.12.2026 10:48 (МСК+2)');
    expect(html).toContain('12,5 %');
    expect(html).not.toMatch(/\d{4}-\d\d-\d\dT|2026-11</);
    const csv = monthlyCsv(n);
    expect(csv).toContain('"тема","Дороги"');
    expect(csv).not.toContain('"тема","roads"');
  });

  it('HTML escapes everything from data; CSV neutralises formulas', async () => {
    const n = await reports.monthly('2026-11', '<b>г. Энск</b>', 'Europe/Moscow');
    const html = monthlyHtml(n);
    expect(html).toContain('&lt;b&gt;г. Энск&lt;/b&gt;');
    expect(html).not.toContain('<b>г. Энск');
    const csv = monthlyCsv({ ...n, recurring: [{ topic: 'roads', name: 'Дороги', territory: '=HYPERLINK("x")', alerts: 1, before: 1 }] });
    expect(csv).toContain(`"Дороги / =HYPERLINK(""x"")"`);
    const evil = monthlyCsv({ ...n, topics: [{ topic: 'x', name: '=cmd|calc', alerts: 1, previous: 0, growth: null }] });
    expect(evil).toContain(`"'=cmd|calc"`);
  });
});

describe('quarterly rating', () => {
  it('ranks bodies with enough answers, lists the rest, and compares with the quarter before', async () => {
    const r = await reports.quarterly('2026-Q4', 'Europe/Moscow');
    expect(r.ranked.map((l) => [l.rank, l.bodyId, l.compliance, l.previousRank])).toEqual([
      [1, 'city-roads', 1, null],
      [2, 'city-transport', 0.6, null],
    ]);
    expect(r.unranked.map((l) => l.bodyId)).toEqual(['city-housing']);
    expect(quarterlyCsv(r).split('\r\n')[1]).toContain('"1","","city-roads"');
    // Quality is its own columns beside the rank, not part of it.
    expect(r.ranked[1]?.quality).toEqual({ incidents: 5, answers: 5, formal: 3, formalShare: 0.6, satisfied: 1, unsatisfied: 1, satisfaction: 0.5, reopened: 1, reopenedShare: 0.2, returned: 0 });
    expect(quarterlyCsv(r).split('\r\n')[2]).toBe('"2","","city-transport","Комитет по транспорту","5","0.6","600","0","5","3","0.6","1","1","0.5","5","1","0"');
    const page = quarterlyHtml(r);
    expect(page).toContain('<th>Отписки</th><th>Довольны жители</th><th>Открыто повторно</th>');
    expect(page).toContain('<td>3 из 5 (60 %)</td><td>1 из 2 (50 %)</td><td>1 из 5</td>');
    expect((await reports.quarterly('2027-Q1', 'Europe/Moscow')).ranked).toEqual([]);
  });
});
