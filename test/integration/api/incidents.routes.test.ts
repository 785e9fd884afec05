import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startEngine, type Engine } from '../../../src/roles/engine.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog, waitForCounts } from '../../helpers/engine.js';
import { demoLines, potholePair, writeCorpus } from '../../helpers/corpus.js';
import { as, errorCode, signIn } from '../../helpers/api.js';
import type { IncidentView } from '../../../src/api/incident-view.js';
import type { Config } from '../../../src/config/config.js';
import { EmbeddedSearchIndex } from '../../../src/adapters/search/embedded/embedded.search-index.js';
import Database from 'better-sqlite3';
import type { Spike } from '../../../src/reports/spike-watch.js';

const t = useTestRedis();
let engine: Engine;
let engineConfig: Config;
let app: FastifyInstance;
let moderator: ReturnType<typeof as>;
let analyst: ReturnType<typeof as>;
let roads: ReturnType<typeof as>;
let housing: ReturnType<typeof as>;
let cityAdmin: ReturnType<typeof as>;

interface Page {
  items: IncidentView[];
  total: number;
}

let prefix = '';
beforeAll(async () => {
  prefix = freshPrefix();
  // Two posts about one pothole in other words, from other communities (written for this test):
  // duplicate detection leaves them apart; the moderator is offered one as the other's likely copy.
  const lines = [...demoLines().slice(0, 400), ...potholePair()];
  engineConfig = testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: writeCorpus(lines), DEMO_USERS: 'on' });
  engine = await startEngine({ config: engineConfig, log: silentLog });
  await waitForCounts(t.redis, prefix, (c) => c.completed + c.deadLetters >= lines.length - 1);
  app = engine.app!;
  moderator = as(app, { cookie: await signIn(app, 'moderator') });
  analyst = as(app, { cookie: await signIn(app, 'analyst') });
  roads = as(app, { cookie: await signIn(app, 'city-roads') });
  housing = as(app, { cookie: await signIn(app, 'city-housing') });
  cityAdmin = as(app, { cookie: await signIn(app, 'city-admin') });
}, 120_000);

afterAll(async () => {
  await engine?.stop();
});

async function roadAlert(): Promise<IncidentView> {
  const page = (await moderator.get('/incidents?status=alert&topic=roads&size=200')).json<Page>();
  const found = page.items.find((i) => i.proposedBodyId === 'city-roads');
  if (!found) throw new Error('no road alert in the demo corpus');
  return found;
}

describe('incidents API', () => {
  it('the moderator queue: alerts with filters, newest first, paged', async () => {
    const res = await moderator.get('/incidents?status=alert&size=5');
    expect(res.statusCode).toBe(200);
    const page = res.json<Page>();
    expect(page.total).toBeGreaterThan(20);
    expect(page.items).toHaveLength(5);
    expect(page.items.every((i) => i.status === 'alert')).toBe(true);
    const created = page.items.map((i) => i.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
    const negative = (await moderator.get('/incidents?status=alert&sentiment=negative&size=200')).json<Page>();
    expect(negative.items.length).toBeGreaterThan(0);
    expect(negative.items.every((i) => i.sentiment.label === 'negative')).toBe(true);
    const second = (await moderator.get('/incidents?status=alert&size=5&page=2')).json<Page>();
    expect(second.items.map((i) => i.id)).not.toContain(page.items[0]?.id);
  });

  it('a moderator accepts, the routed body sees it with its deadline and answers; other bodies cannot', async () => {
    const alert = await roadAlert();
    const accepted = await moderator.post(`/incidents/${alert.id}/actions`, { action: { type: 'accept' }, expectedVersion: alert.version });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const inc = accepted.json<{ incident: IncidentView }>().incident;
    expect(inc).toMatchObject({ status: 'routed', bodyId: 'city-roads', bodyName: expect.any(String), timeZone: 'Europe/Moscow' });
    expect(inc.sla?.dueAt).toMatch(/^\d{4}-/);

    const desk = (await roads.get('/incidents?status=open')).json<Page>();
    expect(desk.items.map((i) => i.id)).toContain(alert.id);
    expect(desk.items.every((i) => i.bodyId === 'city-roads')).toBe(true);
    // The parent body sees its sub-bodies' incidents.
    expect((await cityAdmin.get(`/incidents/${alert.id}`)).statusCode).toBe(200);

    // Another body neither sees nor acts; the answer does not say whether the incident exists.
    expect((await housing.get('/incidents?status=open')).json<Page>().items.map((i) => i.id)).not.toContain(alert.id);
    const foreign = await housing.get(`/incidents/${alert.id}`);
    const missing = await housing.get('/incidents/inc_doesnotexist0000');
    expect(foreign.statusCode).toBe(403);
    expect(missing.statusCode).toBe(403);
    expect(foreign.json<{ error: { message: string } }>().error.message).not.toMatch(/city-roads|Дорож/);
    const act = await housing.post(`/incidents/${alert.id}/actions`, { action: { type: 'take' } });
    expect(act.statusCode).toBe(403);
    expect(errorCode(act)).toBe('FORBIDDEN');

    // Analysts read, never act.
    expect((await analyst.get(`/incidents/${alert.id}`)).statusCode).toBe(200);
    expect((await analyst.post(`/incidents/${alert.id}/actions`, { action: { type: 'take' } })).statusCode).toBe(403);

    // Backdating an answer, claiming the engine's publication, or a link that is not a web page: refused.
    for (const bad of [
      { type: 'answer', kind: 'final', text: 'Сделано', publishedAt: '2020-01-01T00:00:00Z' },
      { type: 'answer', kind: 'final', text: 'Сделано', publication: { at: '2020-01-01T00:00:00Z' } },
      { type: 'answer', kind: 'final', text: 'Сделано', url: 'javascript:alert(1)' },
    ]) {
      const refused = await roads.post(`/incidents/${alert.id}/actions`, { action: bad });
      expect(refused.statusCode, refused.body).toBe(400);
    }
    const answered = await roads.post(`/incidents/${alert.id}/actions`, { action: { type: 'answer', kind: 'final', text: 'Яму заделаем до пятницы.' } });
    expect(answered.statusCode, answered.body).toBe(200);
    // Recorded at the server's time (no platform published it here).
    const answer = answered.json<{ incident: IncidentView }>().incident.answers[0];
    expect(answer?.published).toBe(false);
    expect(Math.abs(Date.parse(answer?.publishedAt ?? '') - Date.now())).toBeLessThan(60_000);
    expect(answered.json<{ incident: IncidentView }>().incident.status).toBe('answered_final');
    const detail = (await roads.get(`/incidents/${alert.id}`)).json<{ incident: IncidentView; events: { action: string; actor: { id: string } }[] }>();
    expect(detail.events.map((e) => e.action)).toEqual(['open', 'accept', 'answer']);
    expect(detail.events[2]?.actor.id).toBe('user:city-roads');
  });

  it('acting on a stale version is a 409 conflict', async () => {
    const alert = await roadAlert();
    const res = await moderator.post(`/incidents/${alert.id}/actions`, { action: { type: 'set_priority', priority: 'high' }, expectedVersion: alert.version + 5 });
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('INCIDENT_VERSION_CONFLICT');
  });

  it('bulk moderation reports each item, in order, and refuses what the caller may not touch', async () => {
    const page = (await moderator.get('/incidents?status=alert&size=3&sort=oldest')).json<Page>();
    const ids = page.items.map((i) => i.id);
    const res = await moderator.post('/incidents/actions', { items: [...ids.map((id) => ({ incidentId: id, action: { type: 'reject', reason: 'не в компетенции' } })), { incidentId: 'inc_nope', action: { type: 'reject', reason: 'нет такого' } }] });
    expect(res.statusCode, res.body).toBe(200);
    const results = res.json<{ results: { ok: boolean; incident?: IncidentView; error?: { code: string } }[] }>().results;
    expect(results.slice(0, 3).map((r) => r.incident?.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(results[3]).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const responderBulk = await roads.post('/incidents/actions', { items: [{ incidentId: ids[0], action: { type: 'reopen', reason: 'ошибка' } }] });
    expect(responderBulk.json<{ results: { ok: boolean; error?: { code: string } }[] }>().results[0]).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('a moderator of another region sees none of this region\'s incidents', async () => {
    const admin = as(app, { cookie: await signIn(app, 'admin') });
    const created = await admin.post('/users', { login: 'zavodsk-mod', name: 'Модератор Заводска', password: 'long-enough-password', role: 'moderator', regions: ['г. Заводск'] });
    expect(created.statusCode, created.body).toBe(201);
    const zavodsk = as(app, { cookie: await signIn(app, 'zavodsk-mod', 'long-enough-password') });
    const page = (await zavodsk.get('/incidents?status=alert&size=200')).json<Page>();
    expect(page.items.every((i) => i.territory === undefined || i.territory.includes('Заводск'))).toBe(true);
    const enskAlert = await roadAlert();
    expect(enskAlert.territory).toMatch(/Энск/);
    expect((await zavodsk.get(`/incidents/${enskAlert.id}`)).statusCode).toBe(403);
    expect((await zavodsk.post(`/incidents/${enskAlert.id}/actions`, { action: { type: 'accept' } })).statusCode).toBe(403);

    // Every read path holds the same scope: search by incident or territory, export, trends, terms, reports.
    type Hits = { total: number; items: { territory?: string }[] };
    expect((await analyst.get(`/search?incident=${enskAlert.id}`)).json<Hits>().total).toBeGreaterThan(0);
    expect((await zavodsk.get(`/search?incident=${enskAlert.id}`)).json<Hits>().total).toBe(0);
    expect((await zavodsk.get(`/search?territory=${encodeURIComponent(enskAlert.territory ?? '')}`)).json<Hits>().total).toBe(0);
    const all = (await zavodsk.get('/search?size=100')).json<Hits>();
    expect(all.items.every((h) => h.territory === undefined || h.territory.includes('Заводск'))).toBe(true);
    const csv = (await zavodsk.get('/search/export.csv')).body;
    expect(csv).not.toMatch(/Энск/);
    const terms = (await zavodsk.get('/aggregations/terms?field=territory')).json<{ terms: { key: string }[] }>().terms;
    expect(terms.every((t) => t.key.includes('Заводск'))).toBe(true);
    const trendTotal = (await zavodsk.get('/trends?interval=month')).json<{ buckets: { total: number }[] }>().buckets.reduce((n, b) => n + b.total, 0);
    expect(trendTotal).toBe((await zavodsk.get('/search?size=1')).json<Hits>().total);
    expect((await zavodsk.get(`/reports/monthly?month=2026-11&region=${encodeURIComponent('г. Энск')}&format=json`)).statusCode).toBe(403);
    expect((await zavodsk.get('/reports/monthly?month=2026-11&format=json')).statusCode).toBe(403);
    expect((await zavodsk.get(`/reports/monthly?month=2026-11&region=${encodeURIComponent('г. Заводск')}&format=json`)).statusCode).toBe(200);
    // SLA figures: the city's bodies are not in this moderator's region; the region-wide ones are.
    const sla = (await zavodsk.get('/aggregations/sla')).json<{ bodies: { bodyId: string }[] }>().bodies;
    expect(sla.some((b) => b.bodyId.startsWith('city-'))).toBe(false);
    expect((await zavodsk.get('/aggregations/sla?body=city-roads')).json<{ bodies: unknown[] }>().bodies).toEqual([]);
    const rating = (await zavodsk.get('/reports/quarterly?quarter=2026-Q4&format=json')).json<{ ranked: { bodyId: string }[]; unranked: { bodyId: string }[] }>();
    expect([...rating.ranked, ...rating.unranked].some((l) => l.bodyId.startsWith('city-'))).toBe(false);
    const whole = (await analyst.get('/reports/quarterly?quarter=2026-Q4&format=json')).json<{ ranked: { bodyId: string }[]; unranked: { bodyId: string }[] }>();
    expect([...whole.ranked, ...whole.unranked].some((l) => l.bodyId.startsWith('city-'))).toBe(true);
  });

  it('bad requests are 400s that name the problem', async () => {
    const alert = await roadAlert();
    const cases: [string, unknown][] = [
      ['unknown action', { action: { type: 'explode' } }],
      ['engine-only action', { action: { type: 'clock_due', clockId: 'x' } }],
      ['unknown field', { action: { type: 'take' }, extra: 1 }],
      ['reject without reason', { action: { type: 'reject' } }],
      ['wrong type', { action: { type: 'accept' }, expectedVersion: 'one' }],
    ];
    for (const [name, payload] of cases) {
      const res = await moderator.post(`/incidents/${alert.id}/actions`, payload);
      expect(res.statusCode, name).toBe(400);
      expect(errorCode(res), name).toBe('VALIDATION_FAILED');
      expect(res.json<{ error: { message: string } }>().error.message.length, name).toBeGreaterThan(5);
    }
    const badId = await moderator.get('/incidents/..%2F..%2Fetc');
    expect(badId.statusCode).toBe(400);
    const badQuery = await moderator.get('/incidents?status=bogus&size=100000');
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.json<{ error: { message: string } }>().error.message).toMatch(/status.*size|size.*status/s);
    const notJson = await app.inject({ method: 'POST', url: `/incidents/${alert.id}/actions`, headers: { cookie: (await signIn(app, 'moderator')), 'content-type': 'application/json' }, payload: '{"action":' });
    expect(notJson.statusCode).toBe(400);
  });

  it('bodies, topics and sources for the console', async () => {
    const bodies = (await roads.get('/bodies')).json<{ items: { id: string; name: string }[] }>().items;
    expect(bodies.map((b) => b.id)).toContain('city-roads');
    const topics = (await roads.get('/topics')).json<{ items: { id: string; name: string }[] }>().items;
    expect(topics).toContainEqual({ id: 'snow.yards', name: expect.stringContaining('двор') });
    expect((await roads.get('/sources')).statusCode).toBe(403);
    const sources = (await moderator.get('/sources')).json<{ items: { sourceId: string }[] }>().items;
    expect(sources.map((s) => s.sourceId)).toEqual(['demo']);
    const territories = (await roads.get('/territories?size=500')).json<{ items: { id: string; parent?: string; depth: number }[] }>().items;
    expect(territories).toContainEqual({ id: 'г. Энск, Северный район', parent: 'г. Энск', depth: 2 });
    expect(territories.findIndex((t) => t.id === 'г. Энск')).toBeLessThan(territories.findIndex((t) => t.id === 'г. Энск, Северный район'));
  });

  it('likely duplicates: the same pothole in other words is offered for merging; merged, it is one incident', async () => {
    const all = (await moderator.get(`/incidents?status=alert&size=200&q=${encodeURIComponent('садов')}`)).json<Page>().items;
    const a = all.find((i) => i.postIds.includes('vk:-210345003_990001'));
    const b = all.find((i) => i.postIds.includes('vk:-210345004_990002'));
    expect(a && b).toBeTruthy();
    const similar = (await moderator.get(`/incidents/${a?.id}/similar`)).json<{ items: { incident: IncidentView; score: number; houses: string[] }[] }>().items;
    expect(similar[0]).toMatchObject({ incident: { id: b?.id }, houses: ['12'] });
    expect(similar.map((x) => x.incident.id)).not.toContain(a?.id);
    expect((await roads.get(`/incidents/${a?.id}/similar`)).statusCode).toBe(403);
    const merged = await moderator.post(`/incidents/${b?.id}/actions`, { action: { type: 'merge', intoId: a?.id }, expectedVersion: b?.version });
    expect(merged.statusCode).toBe(200);
    expect(merged.json<{ incident: IncidentView }>().incident.postIds).toEqual(['vk:-210345003_990001', 'vk:-210345004_990002']);
  });

  it('Open311 GeoReport v2: services, accepted incidents as requests (no unreviewed alerts, no contacts), one by id; public', async () => {
    const alert = await roadAlert();
    await moderator.post(`/incidents/${alert.id}/actions`, { action: { type: 'accept' }, expectedVersion: alert.version });
    const anonymous = { get: (url: string) => app.inject({ method: 'GET', url }) };
    const services = (await anonymous.get('/open311/v2/services.json')).json<{ service_code: string; service_name: string; group: string; metadata: boolean }[]>();
    expect(services).toContainEqual(expect.objectContaining({ service_code: 'roads.potholes', group: 'Дороги', metadata: false }));
    const res = await anonymous.get('/open311/v2/requests.json');
    expect(res.statusCode).toBe(200);
    const requests = res.json<{ service_request_id: string; status: string; agency_responsible: string; requested_datetime: string; description: string }[]>();
    const mine = requests.find((r) => r.service_request_id === alert.id);
    expect(mine).toMatchObject({ status: 'open', status_notes: 'направлено исполнителю', agency_responsible: 'Управление дорожного хозяйства' });
    // Only what a moderator accepted: the queue's alerts are not service requests.
    const alerts = (await moderator.get('/incidents?status=alert&size=200')).json<Page>().items.map((i) => i.id);
    expect(requests.some((r) => alerts.includes(r.service_request_id))).toBe(false);
    expect((await anonymous.get(`/open311/v2/requests.json?status=closed&service_request_id=${alert.id}`)).json()).toEqual([]);
    expect((await anonymous.get(`/open311/v2/requests.json?service_code=roads.potholes,roads&service_request_id=${alert.id}`)).json()).toHaveLength(1);
    const one = await anonymous.get(`/open311/v2/requests/${alert.id}.json`);
    expect(one.json()).toEqual([mine]);
    expect((await anonymous.get(`/open311/v2/requests/${alerts[0]}.json`)).statusCode).toBe(404);
    expect((await anonymous.get('/open311/v2/requests.json?start_date=yesterday')).statusCode).toBe(400);
    expect((await anonymous.get('/open311/v2/requests.json?start_date=2026-12-02T00:00:00Z&end_date=2026-12-01T00:00:00Z')).statusCode).toBe(400);
    expect(JSON.stringify(requests)).not.toMatch(/"(author|from_id|postIds)"/);
  });

  it('the queue by territory: a district gives its own alerts, the city its districts too; sorted by waiting time, priority or post time', async () => {
    const all = (await moderator.get('/incidents?status=alert&size=200')).json<Page>();
    const city = (await moderator.get(`/incidents?status=alert&size=200&territory=${encodeURIComponent('г. Энск')}`)).json<Page>();
    const north = (await moderator.get(`/incidents?status=alert&size=200&territory=${encodeURIComponent('г. Энск, Северный район')}`)).json<Page>();
    expect(north.total).toBeGreaterThan(0);
    expect(north.total).toBeLessThan(city.total);
    expect(city.total).toBeLessThan(all.total);
    expect(north.items.every((i) => i.territory === 'г. Энск, Северный район')).toBe(true);
    expect(city.items.some((i) => i.territory === 'г. Энск, Северный район')).toBe(true);
    const waiting = (await moderator.get('/incidents?status=alert&size=200&sort=oldest')).json<Page>().items.map((i) => i.createdAt);
    expect(waiting).toEqual([...waiting].sort());
    const byPriority = (await moderator.get('/incidents?status=alert&size=200&sort=priority')).json<Page>().items.map((i) => i.priority);
    expect(byPriority.lastIndexOf('high')).toBeLessThan(Math.max(byPriority.indexOf('normal'), byPriority.lastIndexOf('high') + 1));
    const posted = (await moderator.get('/incidents?status=alert&size=200&sort=posted')).json<Page>().items;
    expect(posted.every((i) => typeof i.postedAt === 'string')).toBe(true);
    const times = posted.map((i) => i.postedAt ?? '');
    expect(times).toEqual([...times].sort().reverse());
  });

  it("an incident's posts side by side and the comment thread under them, for whoever may see the incident", async () => {
    interface Hit { id: string; text: string; createdAt: string; parentId?: string; incidentId?: string }
    interface Posts { posts: { items: Hit[]; total: number }; thread: { items: Hit[]; total: number }; context: Hit[] }
    const alerts = (await moderator.get('/incidents?status=alert&size=200')).json<Page>().items;
    let found: { alert: IncidentView; posts: Posts } | undefined;
    for (const alert of alerts) {
      const res = await moderator.get(`/incidents/${alert.id}/posts`);
      expect(res.statusCode, res.body).toBe(200);
      const posts = res.json<Posts>();
      expect(posts.posts.items.map((p) => p.id)).toEqual(expect.arrayContaining([alert.postIds[0]]));
      expect(posts.posts.items.every((p) => p.incidentId === alert.id)).toBe(true);
      if (posts.thread.total > 1) {
        found = { alert, posts };
        break;
      }
    }
    if (!found) throw new Error('no alert of the demo corpus has comments');
    const { alert, posts } = found;
    const ids = new Set(posts.posts.items.map((p) => p.id));
    expect(posts.thread.items.every((c) => c.parentId !== undefined && ids.has(c.parentId))).toBe(true);
    const times = posts.thread.items.map((c) => c.createdAt);
    expect([...times].sort()).toEqual(times);
    // Paged: one comment a page walks the whole thread.
    const second = (await moderator.get(`/incidents/${alert.id}/posts?size=1&page=2`)).json<Posts>();
    expect(second.thread).toEqual({ items: [posts.thread.items[1]], total: posts.thread.total });
    expect((await moderator.get(`/incidents/${alert.id}/posts?size=101`)).statusCode).toBe(400);
    // Responders of the proposed body see it once it is routed to them; other bodies never.
    expect(errorCode(await housing.get(`/incidents/${alert.id}/posts`))).toBe('FORBIDDEN');
    expect(errorCode(await housing.get('/incidents/inc_doesnotexist/posts'))).toBe('FORBIDDEN');
    expect((await analyst.get(`/incidents/${alert.id}/posts`)).statusCode).toBe(200);
    expect((await moderator.get('/incidents/bad%20id/posts')).statusCode).toBe(400);

    // Copies reposted in other communities come back beside the opening post.
    const copied = alerts.find((a) => a.postIds.length > 1);
    if (!copied) throw new Error('no alert of the demo corpus has copies');
    const side = (await moderator.get(`/incidents/${copied.id}/posts`)).json<Posts>();
    expect(side.posts.items.map((p) => p.id).sort()).toEqual([...copied.postIds].sort());
  });

  it('spikes: moderators and analysts read and filter the surges the leader found, responders may not', async () => {
    expect((await moderator.get('/spikes')).json()).toEqual({ items: [], total: 0 });
    const spike = (kind: Spike['kind'], topic: string, territory: string, hour: string): Spike => ({ key: `${kind}|${topic}|${territory}|${hour}`, kind, topic, territory, hour, count: 9, expected: 0.4, range: [0, 2], pValue: 1e-9, top: [], rising: [], detectedAt: hour });
    // Where the leading scheduler keeps them (SpikeWatch is tested on a real index of its own).
    await t.redis.set(`${prefix}:spikes:recent`, JSON.stringify([
      spike('posts', 'housing.gas', 'г. Энск, Северный район', '2026-12-07T11:00:00.000Z'),
      spike('alerts', 'housing.gas', 'г. Энск, Северный район', '2026-12-07T11:00:00.000Z'),
      spike('posts', 'roads', 'г. Заводск', '2026-12-06T08:00:00.000Z'),
    ]));
    const keys = async (q: string, who = analyst) => (await who.get(`/spikes${q}`)).json<{ items: { key: string }[] }>().items.map((s) => s.key.split('|').slice(0, 3).join('|'));
    expect(await keys('')).toHaveLength(3);
    expect(await keys('?topic=housing')).toEqual(['posts|housing.gas|г. Энск, Северный район', 'alerts|housing.gas|г. Энск, Северный район']);
    expect(await keys(`?territory=${encodeURIComponent('г. Энск')}&kind=alerts`)).toEqual(['alerts|housing.gas|г. Энск, Северный район']);
    expect(await keys('?from=2026-12-07T00:00:00Z')).toHaveLength(2);
    // A spike older than the leader's week is read from the search index (the watch keeps each one there too).
    const archive = new EmbeddedSearchIndex(engineConfig.EMBEDDED_INDEX_PATH, { readers: 0, writerThread: false });
    await archive.indexSpikes([spike('posts', 'waste', 'г. Энск, Северный район', '2026-10-03T09:00:00.000Z'), spike('posts', 'roads', 'г. Заводск', '2026-12-06T08:00:00.000Z')]);
    await archive.close();
    expect(await keys('')).toHaveLength(4);
    expect(await keys('?to=2026-11-01T00:00:00Z')).toEqual(['posts|waste|г. Энск, Северный район']);
    expect(await keys('?from=2026-10-01T00:00:00Z&to=2026-12-07T00:00:00Z')).toEqual(['posts|roads|г. Заводск', 'posts|waste|г. Энск, Северный район']);
    // The index failing leaves the leader's week, said to be partial — not an error.
    const broken = new Database(engineConfig.EMBEDDED_INDEX_PATH);
    broken.exec('ALTER TABLE spikes RENAME TO spikes_away');
    const partial = (await analyst.get('/spikes')).json<{ items: unknown[]; partial?: string }>();
    expect(partial.items).toHaveLength(3);
    expect(partial.partial).toMatch(/^only the last week: the search index did not answer/);
    broken.exec('ALTER TABLE spikes_away RENAME TO spikes');
    broken.close();
    expect((await analyst.get('/spikes')).json<{ items: unknown[]; partial?: string }>()).toMatchObject({ total: 4 });
    expect((await analyst.get('/spikes?kind=everything')).statusCode).toBe(400);
    expect((await roads.get('/spikes')).statusCode).toBe(403);
    await t.redis.del(`${prefix}:spikes:recent`);
  });

  it('search and trends are for moderators and analysts, not responders', async () => {
    expect((await analyst.get('/search?q=яма')).statusCode).toBe(200);
    expect((await roads.get('/search?q=яма')).statusCode).toBe(403);
    expect((await roads.get('/trends')).statusCode).toBe(403);
  });

  it('reports: the monthly note and quarterly rating as HTML, CSV and JSON, for analysts and moderators', async () => {
    const month = '2026-11'; // the demo corpus' posts are dated November 2026
    const json = await analyst.get(`/reports/monthly?month=${month}&region=${encodeURIComponent('Энская область')}&format=json`);
    expect(json.statusCode, json.body).toBe(200);
    const note = json.json<{ posts: { total: number }; alerts: { total: number }; topics: { topic: string }[] }>();
    const searched = (await analyst.get(`/search?from=2026-10-31T21:00:00Z&to=2026-11-30T21:00:00Z&size=1`)).json<{ total: number }>().total;
    expect(note.posts.total).toBeGreaterThan(0);
    expect(note.posts.total).toBeLessThanOrEqual(searched);
    expect(note.topics.length).toBeGreaterThan(0);
    const html = await moderator.get(`/reports/monthly?month=${month}`);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.body).toContain('Аналитическая записка за ноябрь 2026');
    const csv = await analyst.get(`/reports/monthly?month=${month}&format=csv`);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\r\n')[1]).toMatch(/^"объём","публикации","\d+"/);
    const rating = await analyst.get('/reports/quarterly?quarter=2026-Q4&format=json');
    expect(rating.statusCode).toBe(200);
    expect(rating.json<{ ranked: unknown[]; unranked: unknown[] }>()).toMatchObject({ ranked: expect.any(Array), unranked: expect.any(Array) });
    expect((await roads.get(`/reports/monthly?month=${month}`)).statusCode).toBe(403);
    expect((await analyst.get('/reports/monthly?month=2026-13')).statusCode).toBe(400);
    expect((await analyst.get('/reports/quarterly?quarter=2026-Q5')).statusCode).toBe(400);
    // A year the date library cannot take is the caller's mistake, not the server's.
    expect((await analyst.get('/reports/quarterly?quarter=0000-Q1')).statusCode).toBe(400);
    expect((await analyst.get('/reports/monthly?month=0000-01')).statusCode).toBe(400);
  });
});
