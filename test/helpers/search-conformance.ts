import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { SearchIndex, IndexedPost } from '../../src/ports/search-index.js';
import type { Incident, SlaClock } from '../../src/core/incident/incident.js';
import { parseQuery, searchQuerySchema, slaQuerySchema, termsQuerySchema, trendQuerySchema } from '../../src/core/search/query.js';
import type { Classification } from '../../src/core/classify/classifier.js';

interface DocSpec {
  id: string;
  text: string;
  at: string;
  topic?: string;
  sentiment?: Classification['sentiment']['label'];
  type?: Classification['type'];
  territory?: string;
  platform?: 'vk' | 'ok' | 'tg';
  source?: string;
  incidentId?: string;
  capturedAt?: string;
  revision?: string;
  parentId?: string;
}

export function doc(s: DocSpec): IndexedPost {
  const alert = s.incidentId !== undefined;
  return {
    post: {
      id: s.id,
      revision: s.revision ?? 'r1',
      platform: s.platform ?? 'vk',
      kind: s.parentId ? 'comment' : 'post',
      ...(s.parentId ? { parentId: s.parentId } : {}),
      sourceId: s.source ?? 'city',
      community: { id: '-1' },
      author: { id: '5', kind: 'user' },
      text: s.text,
      createdAt: s.at,
      permalink: `https://vk.com/wall-1_${s.id.split('_').at(-1) ?? '0'}`,
      engagement: {},
      ...(s.territory ? { territory: s.territory } : {}),
      capturedAt: s.capturedAt ?? s.at,
    },
    classification: {
      topics: [{ id: s.topic ?? 'other', score: 1 }],
      sentiment: { label: s.sentiment ?? 'neutral', score: 0 },
      type: s.type ?? 'other',
      spam: false,
      alert,
      priority: 'normal',
      explain: [],
    },
    ...(s.incidentId ? { incidentId: s.incidentId } : {}),
    analyzedAt: s.at,
    routedAt: s.at,
  };
}

function clock(bodyId: string, startedAt: string, stoppedAt: string | undefined, dueAt: string, work: number, wall: number): SlaClock {
  const late = stoppedAt !== undefined && Date.parse(stoppedAt) > Date.parse(dueAt);
  return {
    id: 'first_response.body.1', kind: 'first_response', scope: 'body', bodyId, policy: 'working-time:480', startedAt, pauses: [], dueAt, provisional: false, warnAt: [], warningsFired: [],
    ...(stoppedAt ? { stoppedAt, outcome: late ? 'late' : 'met', elapsed: { wallMinutes: wall, workingMinutes: work } } : {}),
  };
}

export function incident(id: string, version: number, status: Incident['status'], bodyId: string, clocks: SlaClock[]): Incident {
  return {
    id, version, status, postIds: [], topic: 'roads', proposedBodyId: bodyId, routeReason: 'route roads', bodyId, priority: 'normal',
    sentiment: { label: 'negative', score: -1 }, type: 'complaint', createdAt: '2026-11-16T08:00:00.000Z', updatedAt: '2026-11-16T08:00:00.000Z',
    clocks, answers: [], reroutes: [],
  };
}

/**
 * An incident its body answered (first-response clock met on 16 November) with this answer; the
 * author said it was not done, and it was reopened once.
 */
export function answeredIncident(id: string, bodyId: string, answer: string): Incident {
  return {
    ...incident(id, 4, 'answered_final', bodyId, [clock(bodyId, '2026-11-16T08:00:00Z', '2026-11-16T10:00:00Z', '2026-11-17T08:00:00Z', 120, 120)]),
    answers: [{ kind: 'final', text: answer, publishedAt: '2026-11-16T10:00:00.000Z', published: true, by: 'u1' }],
    reactions: [
      { postId: 'vk:-1_1_c9', at: '2026-11-16T12:00:00.000Z', verdict: 'satisfied', cues: ['спасибо'] },
      { postId: 'vk:-1_1_c10', at: '2026-11-17T12:00:00.000Z', verdict: 'unsatisfied', cues: ['так и не'], byAuthor: true },
    ],
    reopenings: 1,
  };
}

const DOCS: DocSpec[] = [
  { id: 'vk:-1_1', text: 'На улице Ленина огромная яма, колёса пробиты', at: '2026-11-16T08:00:00Z', topic: 'roads', sentiment: 'negative', type: 'complaint', territory: 'Энск', incidentId: 'inc_a' },
  { id: 'vk:-1_2', text: 'Ямы на Садовой никто не заделывает, асфальт разбит', at: '2026-11-16T09:00:00Z', topic: 'roads', sentiment: 'negative', type: 'complaint', territory: 'Энск', incidentId: 'inc_b' },
  { id: 'vk:-1_3', text: 'В доме нет горячей воды неделю', at: '2026-11-16T10:30:00Z', topic: 'housing', sentiment: 'negative', type: 'complaint', territory: 'Сосновка', incidentId: 'inc_c' },
  { id: 'vk:-1_4', text: 'Воды горячей нет, но уже обещали дать', at: '2026-11-17T11:00:00Z', topic: 'housing', sentiment: 'neutral', type: 'other', territory: 'Энск' },
  { id: 'ok:7:5', text: 'Сугробы во дворе по колено, снег не убирают', at: '2026-11-17T12:00:00Z', topic: 'snow', sentiment: 'negative', type: 'complaint', territory: 'Энск', platform: 'ok', source: 'ok-city' },
  { id: 'tg:-100:6', text: 'Спасибо за новую ёлку на площади!', at: '2026-11-18T07:00:00Z', topic: 'landscaping', sentiment: 'positive', type: 'gratitude', territory: 'Энск', platform: 'tg', source: 'tg-city' },
  { id: 'vk:-1_7', text: 'Когда отремонтируют дорогу в Сосновке? Одни выбоины', at: '2026-11-18T08:00:00Z', topic: 'roads', sentiment: 'neutral', type: 'question', territory: 'Сосновка' },
];

/**
 * The behaviour every search backend must have, run against a fresh, empty index. The embedded
 * index runs it in CI; Elasticsearch runs it when ELASTICSEARCH_URL is set.
 */
export function searchConformance(name: string, make: () => Promise<SearchIndex>, refresh: (index: SearchIndex) => Promise<void> = async () => {}): void {
  describe(`search conformance: ${name}`, () => {
    let index: SearchIndex;
    const search = (raw: Record<string, unknown>) => index.search(parseQuery(searchQuerySchema, raw));
    const ids = async (raw: Record<string, unknown>) => (await search({ sort: 'oldest', ...raw })).items.map((h) => h.id);

    beforeAll(async () => {
      index = await make();
      await index.indexPosts(DOCS.map(doc));
      await index.indexIncidents([
        // An отписка the author was not satisfied with, reopened once (the author's word outweighs a neighbour's thanks).
        { incident: answeredIncident('inc_a', 'city-roads', 'Ваше обращение принято, информация будет передана в подрядную организацию.'), events: [] },
        {
          incident: {
            ...incident('inc_b', 2, 'routed', 'city-roads', [clock('city-roads', '2026-11-16T09:00:00Z', '2026-11-18T09:00:00Z', '2026-11-17T09:00:00Z', 960, 2880)]),
            answers: [{ kind: 'interim', text: 'Яму на Садовой заделали 18 ноября, бригада подрядчика выезжала утром.', publishedAt: '2026-11-18T09:00:00.000Z', published: true, by: 'u2' }],
            reactions: [{ postId: 'vk:-1_2_c1', at: '2026-11-18T12:00:00.000Z', verdict: 'satisfied', cues: ['спасибо'] }],
          },
          events: [],
        },
        { incident: incident('inc_c', 2, 'routed', 'city-housing', [clock('city-housing', '2026-11-16T10:30:00Z', undefined, '2026-11-17T10:30:00Z', 0, 0)]), events: [] },
      ]);
      await refresh(index);
    });
    afterAll(async () => {
      await index.close();
    });

    it('finds word forms by stem, case and ё-insensitive', async () => {
      expect(await ids({ q: 'яма' })).toEqual(['vk:-1_1', 'vk:-1_2']);
      expect(await ids({ q: 'ЕЛКА' })).toEqual(['tg:-100:6']);
      expect(await ids({ q: 'сугроб' })).toEqual(['ok:7:5']);
    });

    it('phrases match words in order', async () => {
      expect(await ids({ q: '"горячей воды"' })).toEqual(['vk:-1_3']);
      expect(await ids({ q: 'горячей воды' })).toEqual(['vk:-1_3', 'vk:-1_4']);
    });

    it('AND, OR, NOT and parentheses', async () => {
      expect(await ids({ q: 'яма AND асфальт' })).toEqual(['vk:-1_2']);
      expect(await ids({ q: 'яма OR сугроб' })).toEqual(['vk:-1_1', 'vk:-1_2', 'ok:7:5']);
      expect(await ids({ q: 'яма -асфальт' })).toEqual(['vk:-1_1']);
      expect(await ids({ q: '(выбоины OR ямы) НЕ Ленина' })).toEqual(['vk:-1_2', 'vk:-1_7']);
    });

    it('filters by topic, sentiment, type, platform, source, territory, alert and date range', async () => {
      expect(await ids({ topic: 'roads' })).toEqual(['vk:-1_1', 'vk:-1_2', 'vk:-1_7']);
      expect(await ids({ topic: 'roads,snow', sentiment: 'negative' })).toEqual(['vk:-1_1', 'vk:-1_2', 'ok:7:5']);
      expect(await ids({ type: 'gratitude' })).toEqual(['tg:-100:6']);
      expect(await ids({ platform: 'ok' })).toEqual(['ok:7:5']);
      expect(await ids({ source: 'tg-city' })).toEqual(['tg:-100:6']);
      expect(await ids({ territory: 'Сосновка' })).toEqual(['vk:-1_3', 'vk:-1_7']);
      expect(await ids({ alert: 'true' })).toEqual(['vk:-1_1', 'vk:-1_2', 'vk:-1_3']);
      expect(await ids({ from: '2026-11-17T00:00:00Z', to: '2026-11-18T00:00:00Z' })).toEqual(['vk:-1_4', 'ok:7:5']);
    });

    it('filters by the incident: body, status', async () => {
      expect(await ids({ body: 'city-roads' })).toEqual(['vk:-1_1', 'vk:-1_2']);
      expect(await ids({ status: 'routed' })).toEqual(['vk:-1_2', 'vk:-1_3']);
    });

    it('sorts and pages, with the total', async () => {
      const page1 = await search({ sort: 'newest', size: 2, page: 1 });
      const page2 = await search({ sort: 'newest', size: 2, page: 2 });
      expect(page1.total).toBe(7);
      expect(page1.items.map((h) => h.id)).toEqual(['vk:-1_7', 'tg:-100:6']);
      expect(page2.items.map((h) => h.id)).toEqual(['ok:7:5', 'vk:-1_4']);
      expect((await search({ page: 50, size: 100 })).items).toEqual([]);
      const relevant = await search({ q: 'ямы OR асфальт', sort: 'relevance' });
      expect(relevant.items[0]?.id).toBe('vk:-1_2');
      expect(page1.items[0]).toMatchObject({ platform: 'vk', topic: 'roads', type: 'question', territory: 'Сосновка', createdAt: '2026-11-18T08:00:00.000Z' });
    });

    it('counts over time by topic, and top terms', async () => {
      const byDay = await index.trends(parseQuery(trendQuerySchema, { interval: 'day', by: 'topic' }));
      expect(byDay).toEqual([
        { key: '2026-11-16T00:00:00Z', total: 3, by: { roads: 2, housing: 1 } },
        { key: '2026-11-17T00:00:00Z', total: 2, by: { housing: 1, snow: 1 } },
        { key: '2026-11-18T00:00:00Z', total: 2, by: { landscaping: 1, roads: 1 } },
      ]);
      const weekly = await index.trends(parseQuery(trendQuerySchema, { interval: 'week', q: 'яма' }));
      expect(weekly).toEqual([{ key: '2026-11-16T00:00:00Z', total: 2, by: {} }]);
      expect(await index.terms(parseQuery(termsQuerySchema, { field: 'territory' }))).toEqual([
        { key: 'Энск', count: 5 },
        { key: 'Сосновка', count: 2 },
      ]);
    });

    it('SLA compliance and response times per body', async () => {
      const rows = await index.sla(parseQuery(slaQuerySchema, {}), new Date('2026-11-20T00:00:00Z'));
      expect(rows).toEqual([
        {
          bodyId: 'city-housing', measured: 0, met: 0, late: 0, overdueNow: 1, compliance: null, medianWorkingMinutes: null, p90WorkingMinutes: null, medianWallMinutes: null, p90WallMinutes: null,
          quality: { incidents: 0, answers: 0, formal: 0, formalShare: null, satisfied: 0, unsatisfied: 0, satisfaction: null, reopened: 0, reopenedShare: null, returned: 0 },
        },
        expect.objectContaining({ bodyId: 'city-roads', measured: 2, met: 1, late: 1, overdueNow: 0, compliance: 0.5 }),
      ]);
      // Quality over the incidents it answered: one отписка of two answers; the author of one was not
      // satisfied, the thread of the other was; one reopened.
      expect(rows[1]?.quality).toEqual({ incidents: 2, answers: 2, formal: 1, formalShare: 0.5, satisfied: 1, unsatisfied: 1, satisfaction: 0.5, reopened: 1, reopenedShare: 0.5, returned: 0 });
      // Percentiles: exact (nearest rank) in the embedded index, estimated (t-digest) in Elasticsearch.
      const roads = rows[1]!;
      for (const [v, lo, hi] of [[roads.medianWorkingMinutes, 120, 960], [roads.p90WorkingMinutes, 120, 960], [roads.medianWallMinutes, 120, 2880]] as const) {
        expect(v).toBeGreaterThanOrEqual(lo);
        expect(v).toBeLessThanOrEqual(hi);
      }
      const period = await index.sla(parseQuery(slaQuerySchema, { from: '2026-11-17T00:00:00Z', body: 'city-roads' }), new Date('2026-11-20T00:00:00Z'));
      expect(period).toEqual([expect.objectContaining({ bodyId: 'city-roads', measured: 1, late: 1, compliance: 0 })]);
      expect(period[0]?.quality).toMatchObject({ incidents: 1, answers: 1, formal: 0, satisfied: 1, reopened: 0 });
    });

    it('upserts: the same post twice is one document; a newer revision replaces it; an older one arriving late does not', async () => {
      await index.indexPosts([doc(DOCS[0] as DocSpec)]);
      await index.indexPosts([doc({ ...(DOCS[6] as DocSpec), text: 'Дорогу в Сосновке отремонтировали', revision: 'r2', capturedAt: '2026-11-19T08:00:00Z' })]);
      await index.indexPosts([doc({ ...(DOCS[6] as DocSpec), text: 'Устаревший текст про выбоины', revision: 'r0', capturedAt: '2026-11-18T07:00:00Z' })]);
      await refresh(index);
      expect((await search({})).total).toBe(7);
      expect(await ids({ q: 'отремонтировали' })).toEqual(['vk:-1_7']);
      expect(await ids({ q: 'устаревший' })).toEqual([]);
      // The replaced revision's own words («Одни выбоины») no longer find it.
      expect(await ids({ q: 'выбоины' })).toEqual([]);
    });

    it('a tombstone keeps the last text searchable and says when the platform stopped showing it', async () => {
      const d = doc({ ...(DOCS[1] as DocSpec), capturedAt: '2026-11-20T09:00:00Z', revision: 'r1-deleted' });
      await index.indexPosts([{ ...d, post: { ...d.post, deletedAt: '2026-11-20T08:59:00Z' } }]);
      await refresh(index);
      const hit = (await search({})).items.find((h) => h.id === d.post.id);
      expect(hit).toMatchObject({ deletedAt: '2026-11-20T08:59:00Z', text: d.post.text });
    });

    it('keeps spikes by key and reads them newest first, by hour range and kind', async () => {
      const spike = (kind: 'posts' | 'alerts', hour: string, count: number) => ({
        key: `${kind}|housing|Энск|${hour}`, kind, topic: 'housing', territory: 'Энск', hour, count, expected: 0.5, range: [0, 2] as [number, number], pValue: 1e-6,
        rising: ['запах', 'газа'], top: [{ id: 'vk:-1_3', text: 'Пахнет газом в подъезде' }], detectedAt: '2026-11-20T16:05:00.000Z',
      });
      await index.indexSpikes([spike('posts', '2026-11-10T15:00:00.000Z', 9), spike('alerts', '2026-11-20T15:00:00.000Z', 7), spike('posts', '2026-11-20T15:00:00.000Z', 12)]);
      // Found again by a look back: the same document, the newer evidence.
      await index.indexSpikes([spike('posts', '2026-11-20T15:00:00.000Z', 13)]);
      await refresh(index);
      const all = await index.spikes({ size: 10 });
      expect(all.map((s) => [s.kind, s.hour, s.count])).toEqual([
        ['alerts', '2026-11-20T15:00:00.000Z', 7],
        ['posts', '2026-11-20T15:00:00.000Z', 13],
        ['posts', '2026-11-10T15:00:00.000Z', 9],
      ]);
      expect(all[1]).toEqual(spike('posts', '2026-11-20T15:00:00.000Z', 13));
      expect((await index.spikes({ kind: 'posts', to: '2026-11-15T00:00:00.000Z', size: 10 })).map((s) => s.count)).toEqual([9]);
      expect((await index.spikes({ from: '2026-11-15T00:00:00.000Z', kind: 'alerts', size: 10 })).map((s) => s.count)).toEqual([7]);
      expect(await index.spikes({ size: 1 })).toHaveLength(1);
    });

    it('an incident mirror never goes back to an older version', async () => {
      await index.indexIncidents([{ incident: incident('inc_b', 1, 'alert', 'city-roads', []), events: [] }]);
      await refresh(index);
      expect(await ids({ status: 'routed' })).toEqual(['vk:-1_2', 'vk:-1_3']);
    });

    it("an incident's posts (the opening one and its copies) and a post's thread", async () => {
      await index.indexPosts(
        [
          { id: 'vk:-2_10', text: 'Яма на Ленина, колёса пробиты (репост)', at: '2026-11-16T08:30:00Z', incidentId: 'inc_a' },
          { id: 'vk:-1_1_c1', text: 'У меня тоже колесо пробило', at: '2026-11-16T09:10:00Z', parentId: 'vk:-1_1' },
          { id: 'vk:-1_1_c2', text: 'Сфотографируйте и отправьте в администрацию', at: '2026-11-16T09:20:00Z', parentId: 'vk:-1_1' },
          { id: 'vk:-1_3_c1', text: 'И у нас на Лесной', at: '2026-11-16T11:00:00Z', parentId: 'vk:-1_3' },
        ].map(doc),
      );
      await refresh(index);
      expect(await ids({ incident: 'inc_a' })).toEqual(['vk:-1_1', 'vk:-2_10']);
      expect(await ids({ parent: 'vk:-1_1' })).toEqual(['vk:-1_1_c1', 'vk:-1_1_c2']);
      expect(await ids({ parent: 'vk:-1_1,vk:-1_3' })).toEqual(['vk:-1_1_c1', 'vk:-1_1_c2', 'vk:-1_3_c1']);
      expect(await ids({ incident: 'inc_none' })).toEqual([]);
      expect(await ids({ id: 'vk:-1_1_c2,vk:-1_3' })).toEqual(['vk:-1_1_c2', 'vk:-1_3']);
      expect((await search({ parent: 'vk:-1_3' })).items[0]).toMatchObject({ id: 'vk:-1_3_c1', parentId: 'vk:-1_3' });
      expect((await search({ id: 'vk:-1_3' })).items[0]?.parentId).toBeUndefined();
    });

    it('retention: posts captured in the window lose author and raw payload, stay searchable; the next window visits nothing twice', async () => {
      const old = doc({ id: 'vk:-9_1', text: 'Старая жалоба на сугробы у школы', at: '2020-03-01T08:00:00Z' });
      await index.indexPosts([{ ...old, post: { ...old.post, raw: { id: 1, from_id: 5, text: 'Старая жалоба на сугробы у школы' } } }]);
      await refresh(index);
      const cutoff = new Date('2021-01-01T00:00:00Z');
      expect(await index.purgePersonalData({ before: cutoff })).toBe(1);
      await refresh(index);
      expect(await ids({ q: 'сугробы школы' })).toEqual(['vk:-9_1']);
      expect(await index.purgePersonalData({ from: cutoff, before: new Date('2021-06-01T00:00:00Z') })).toBe(0);
    });

    it("a caller's territory scope: posts in the territories, named under them, or with none; never a name that only starts alike", async () => {
      const at = '2026-12-01T08:00:00Z';
      await index.indexPosts([
        doc({ id: 'vk:-8_1', text: 'Яма у школы', at, territory: 'Сосновка' }),
        doc({ id: 'vk:-8_2', text: 'Яма у клуба', at, territory: 'Сосновка, улица Лесная' }),
        doc({ id: 'vk:-8_3', text: 'Яма у моста', at }),
        doc({ id: 'vk:-8_4', text: 'Яма у рынка', at, territory: 'Сосновкино' }),
        doc({ id: 'vk:-8_5', text: 'Яма у вокзала', at, territory: 'Энск' }),
      ]);
      await refresh(index);
      const scope = { exact: ['Сосновка'], prefixes: ['Сосновка, '] };
      const base = parseQuery(searchQuerySchema, { from: at, sort: 'oldest' });
      expect((await index.search({ ...base, scope })).items.map((h) => h.id)).toEqual(['vk:-8_1', 'vk:-8_2', 'vk:-8_3']);
      // A filter the caller adds narrows within the scope, never past it.
      expect((await index.search({ ...parseQuery(searchQuerySchema, { from: at, territory: 'Энск' }), scope })).total).toBe(0);
      expect((await index.terms({ ...parseQuery(termsQuerySchema, { field: 'territory', from: at }), scope })).map((t) => t.key).sort()).toEqual(['Сосновка', 'Сосновка, улица Лесная']);
      const trend = await index.trends({ ...parseQuery(trendQuerySchema, { interval: 'day', from: at }), scope });
      expect(trend.reduce((n, b) => n + b.total, 0)).toBe(3);
    });
  });
}
