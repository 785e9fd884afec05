import { beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { MemoryIncidentRepository } from '../../../src/adapters/memory/incident.repository.js';
import { loadConfig } from '../../../src/config/config.js';
import type { Incident } from '../../../src/core/incident/incident.js';
import type { Actor } from '../../../src/core/incident/lifecycle.js';
import type { CounterSample } from '../../../src/ports/counters.js';
import type { MirroredIncident } from '../../../src/ports/search-index.js';
import type { TopicDecision } from '../../../src/ports/labels.js';
import { IncidentService } from '../../../src/incidents/incident.service.js';
import { IncidentIntake } from '../../../src/incidents/intake.js';
import { RepeatFinder } from '../../../src/incidents/repeat-finder.js';
import { ReactionRecorder } from '../../../src/incidents/reactions.js';
import { incidentQuality } from '../../../src/core/quality/incident-quality.js';
import { incidentIdFor } from '../../../src/core/incident/incident.js';
import type { NotificationJob } from '../../../src/ports/notifications.js';
import { loadRules, type LoadedRules } from '../../../src/roles/rules.js';
import { alertIncident } from '../../helpers/incident-repository-conformance.js';
import { fingerprint } from '../../../src/core/classify/near-duplicates.js';
import type { Router } from '../../../src/core/routing/router.js';

const moderator: Actor = { id: 'mod-anna', role: 'moderator' };
let rules: LoadedRules;
beforeAll(() => {
  rules = loadRules(loadConfig({}));
});

/** The incident service on an in-memory repository, its effects kept where a test can read them. */
function setup(router?: { current: () => Promise<Router> }) {
  const store = new MemoryIncidentRepository();
  const mirrored: MirroredIncident[][] = [];
  const replanned: string[] = [];
  const notified: NotificationJob[] = [];
  const counted: CounterSample[] = [];
  const labels: TopicDecision[] = [];
  const service = new IncidentService({
    store,
    env: rules.transitionEnv,
    timers: { replan: async (i: Incident) => (replanned.push(i.id), { added: 0, removed: 0 }), fired: async () => {} },
    notifications: { enqueue: async (jobs: readonly NotificationJob[]) => void notified.push(...jobs) },
    log: pino({ level: 'silent' }),
    now: () => new Date('2026-11-23T09:00:00Z'),
    mirror: { mirror: async (items) => void mirrored.push([...items]) },
    counters: { count: async (s) => void counted.push(...s) },
    labels: { record: async (d) => void labels.push(d) },
    ...(router ? { router } : {}),
  });
  return { store, service, mirrored, replanned, notified, counted, labels };
}

const road = (id: string) => alertIncident(id, '2026-11-23T08:00:00.000Z', { proposedBodyId: 'city-roads', topic: 'roads' });
/** One copy for each incident, the post named `vk:-1_<tag>_<incident>`. */
const copiesFor = (ids: readonly string[], tag: string) => ids.map((id) => ({ incidentId: id, postIds: [`vk:-1_${tag}_${id}`], similarity: 0.9 }));

/** A moderator changes inc_a's priority right after each batch read that includes it, `times` times in all. */
function meddleWithA(s: ReturnType<typeof setup>, times: number): void {
  const getMany = s.store.getMany.bind(s.store);
  let changes = 0;
  s.store.getMany = async (ids) => {
    const read = await getMany(ids);
    if (ids.includes('inc_a') && changes < times) await s.service.act('inc_a', { type: 'set_priority', priority: changes++ % 2 === 0 ? 'high' : 'normal' }, moderator);
    return read;
  };
}

describe('IncidentService (on the in-memory repository)', () => {
  it('opens incidents with an audit event, mirrors the batch once and counts each; a retry opens nothing twice', async () => {
    const s = setup();
    expect(await s.service.open([road('inc_a'), road('inc_b')])).toEqual([true, true]);
    expect((await s.store.events('inc_a')).map((e) => [e.action, e.actor.id])).toEqual([['open', 'pipeline']]);
    expect(s.mirrored).toHaveLength(1);
    expect(s.mirrored[0]?.map((m) => [m.incident.id, m.events[0]?.action])).toEqual([
      ['inc_a', 'open'],
      ['inc_b', 'open'],
    ]);
    expect(s.counted.filter((c) => c.name === 'otklik_incident_transitions_total' && c.labels.action === 'open')).toHaveLength(2);
    expect(await s.service.open([road('inc_a'), road('inc_c')])).toEqual([false, true]);
    expect(s.store.opened).toBe(3);
  });

  it('an action runs the state machine, commits with its event and carries out the effects', async () => {
    const s = setup();
    await s.service.open([road('inc_a')]);
    const routed = await s.service.act('inc_a', { type: 'accept' }, moderator);
    expect(routed).toMatchObject({ status: 'routed', version: 2, bodyId: 'city-roads' });
    expect((await s.store.events('inc_a')).map((e) => e.action)).toEqual(['open', 'accept']);
    expect(s.replanned).toEqual(['inc_a']);
    expect(s.notified.map((n) => n.event)).toContain('routed');
    expect(s.labels).toMatchObject([{ incidentId: 'inc_a', topic: 'roads', action: 'accept', problem: true }]);
    expect(s.mirrored.at(-1)?.[0]).toMatchObject({ incident: { version: 2 }, events: [{ action: 'accept' }] });
  });

  it('acting on a stale version is a conflict and changes nothing', async () => {
    const s = setup();
    await s.service.open([road('inc_a')]);
    await expect(s.service.act('inc_a', { type: 'accept' }, moderator, 5)).rejects.toMatchObject({ code: 'INCIDENT_VERSION_CONFLICT' });
    expect((await s.store.require('inc_a')).status).toBe('alert');
  });

  it('merging commits source and target together; copies attach to an open incident but not to a closed one', async () => {
    const s = setup();
    await s.service.open([road('inc_a'), road('inc_b')]);
    const target = await s.service.act('inc_a', { type: 'merge', intoId: 'inc_b' }, moderator);
    expect(target.postIds).toEqual(expect.arrayContaining(['vk:-1_inc_a', 'vk:-1_inc_b']));
    expect((await s.store.require('inc_a')).status).toBe('merged');
    expect(await s.service.attachDuplicates('inc_b', ['vk:-1_copy'], 0.91)).toBe(true);
    expect((await s.store.require('inc_b')).postIds).toContain('vk:-1_copy');
    expect(await s.service.attachDuplicates('inc_a', ['vk:-1_copy2'], 0.91)).toBe(false);
  });
});

describe('IncidentService.attachDuplicatesMany', () => {
  it('attaches copies to several incidents in one commit, one index job and one count; a closed or missing one says false', async () => {
    const s = setup();
    await s.service.open([road('inc_a'), road('inc_b'), road('inc_c')]);
    await s.service.act('inc_c', { type: 'reject', reason: 'дубль' }, moderator);
    const commits: number[] = [];
    const commit = s.store.commit.bind(s.store);
    s.store.commit = async (changes) => (commits.push(changes.length), commit(changes));
    s.mirrored.length = 0;
    s.counted.length = 0;
    const done = await s.service.attachDuplicatesMany([
      { incidentId: 'inc_b', postIds: ['vk:-1_b1', 'vk:-1_b2'], similarity: 0.9 },
      { incidentId: 'inc_a', postIds: ['vk:-1_a1'], similarity: 0.8 },
      { incidentId: 'inc_c', postIds: ['vk:-1_c1'], similarity: 0.95 },
      { incidentId: 'inc_gone', postIds: ['vk:-1_x1'], similarity: 0.95 },
    ]);
    expect(done).toEqual([true, true, false, false]);
    expect(commits).toEqual([2]);
    expect((await s.store.require('inc_b')).postIds).toEqual(expect.arrayContaining(['vk:-1_b1', 'vk:-1_b2']));
    expect((await s.store.require('inc_a')).postIds).toContain('vk:-1_a1');
    expect((await s.store.require('inc_c')).postIds).not.toContain('vk:-1_c1');
    expect(s.mirrored.map((m) => m.map((x) => [x.incident.id, x.events[0]?.action]))).toEqual([[['inc_b', 'attach_duplicate'], ['inc_a', 'attach_duplicate']]]);
    expect(s.counted.filter((c) => c.labels.action === 'attach_duplicate')).toHaveLength(2);
    expect((await s.store.events('inc_b')).at(-1)).toMatchObject({ action: 'attach_duplicate', actor: { id: 'near-duplicates' } });
  });

  it('a change by someone else between the read and the commit: read again and retried; still changing, each goes on its own; nothing lost', async () => {
    const s = setup();
    await s.service.open([road('inc_a'), road('inc_b')]);
    const commits: number[] = [];
    const commit = s.store.commit.bind(s.store);
    s.store.commit = async (changes) => (commits.push(changes.length), commit(changes));
    // A moderator changes inc_a's priority right after the batch read it: once, then on every read.
    meddleWithA(s, 1);
    expect(await s.service.attachDuplicatesMany(copiesFor(['inc_a', 'inc_b'], 'first'))).toEqual([true, true]);
    // The set_priority commit, the refused batch, the batch read again.
    expect(commits.filter((n) => n === 2)).toHaveLength(2);
    expect(await s.store.require('inc_a')).toMatchObject({ priority: 'high', postIds: expect.arrayContaining(['vk:-1_first_inc_a']) });
    expect((await s.store.require('inc_b')).postIds).toContain('vk:-1_first_inc_b');

    commits.length = 0;
    meddleWithA(s, 100);
    expect(await s.service.attachDuplicatesMany(copiesFor(['inc_a', 'inc_b'], 'second'))).toEqual([true, true]);
    // Two batch commits refused (the read, then once read again), then halved: one commit each.
    expect(commits.filter((n) => n === 2)).toHaveLength(2);
    expect((await s.store.require('inc_a')).postIds).toContain('vk:-1_second_inc_a');
    expect((await s.store.require('inc_b')).postIds).toContain('vk:-1_second_inc_b');
  });

  it('a conflict on one incident is halved away: the incidents nobody touched still go in one commit', async () => {
    const s = setup();
    const ids = ['inc_a', 'inc_b', 'inc_c', 'inc_d', 'inc_e', 'inc_f', 'inc_g', 'inc_h'];
    await s.service.open(ids.map(road));
    // Someone changes inc_a after every batch read that includes it.
    meddleWithA(s, Number.POSITIVE_INFINITY);
    const committed: string[][] = [];
    const commit = s.store.commit.bind(s.store);
    s.store.commit = async (changes) => {
      await commit(changes);
      if (changes.some((c) => c.events[0]?.action === 'attach_duplicate')) committed.push(changes.map((c) => c.incident.id));
    };
    const done = await s.service.attachDuplicatesMany(copiesFor(ids, 'copy'));
    expect(done).toEqual(ids.map(() => true));
    // Halved down to inc_a (on its own, as attachDuplicates retries it) and inc_b; c–d and e–h each in one commit.
    expect(committed).toEqual([['inc_a'], ['inc_b'], ['inc_c', 'inc_d'], ['inc_e', 'inc_f', 'inc_g', 'inc_h']]);
    for (const id of ids) expect((await s.store.require(id)).postIds).toContain(`vk:-1_copy_${id}`);
  });
});

describe('IncidentIntake', () => {
  it('opens what copies nothing; a copy of an open incident (even earlier in the batch) is attached to it', async () => {
    const s = setup();
    const decisions = new Map<string, string>();
    const signatures = new Map<string, string>();
    const intake = new IncidentIntake({
      incidents: s.service,
      duplicates: {
        minSimilarity: 0.8,
        // The index in memory: exact signatures match, decisions are kept per post.
        index: {
          findMany: async (sigs) => sigs.map((sig) => [...signatures].filter(([, s2]) => s2 === sig).map(([incidentId]) => ({ incidentId, similarity: 1 }))),
          decideMany: async (choices) => choices.map((c) => {
            if (!decisions.has(c.postId)) decisions.set(c.postId, c.incidentId);
            return decisions.get(c.postId) as string;
          }),
          redecide: async (postId, incidentId) => void decisions.set(postId, incidentId),
          addMany: async (entries) => void entries.forEach((e) => signatures.set(e.incidentId, e.signature)),
        },
      },
    });
    // Real near-duplicate signatures (MinHash of the posts' stems).
    const same = fingerprint(['яма', 'дорог', 'ленин', 'колес', 'пробил', 'двор', 'машин', 'асфальт']) as string;
    const other = fingerprint(['свет', 'подъезд', 'лампочк', 'темн', 'вечер', 'лестниц', 'этаж', 'дом']) as string;
    const placed = await intake.take([
      { incident: road('inc_a'), fingerprint: same },
      { incident: road('inc_b'), fingerprint: same },
      { incident: road('inc_c'), fingerprint: other },
    ]);
    expect(placed.map((p) => [p.incidentId, p.opened, p.attached])).toEqual([
      ['inc_a', true, false],
      ['inc_a', false, true],
      ['inc_c', true, false],
    ]);
    expect((await s.store.require('inc_a')).postIds).toEqual(['vk:-1_inc_a', 'vk:-1_inc_b']);
    expect(await s.store.get('inc_b')).toBeUndefined();
    // The same batch again (a retried job): nothing opens or attaches twice.
    const again = await intake.take([{ incident: road('inc_a'), fingerprint: same }, { incident: road('inc_b'), fingerprint: same }]);
    expect(again.map((p) => [p.incidentId, p.opened])).toEqual([
      ['inc_a', false],
      ['inc_a', false],
    ]);
    expect(s.store.opened).toBe(2);
  });

  it.each(['link', 'reopen'] as const)('a repeated problem after closing (%s): marked for the moderator, or the closed incident is reopened and takes the alert', async (policy) => {
    const s = setup();
    const text = (t: string) => ({ territory: 'г. Энск, Северный район', text: t });
    // Written for this test: a pothole fixed and closed, then raised again at the same house.
    const old = { ...road('inc_old'), ...text('Яма на дороге у дома 12 по улице Садовой, колёса бьём') };
    await s.service.open([old]);
    for (const action of [{ type: 'accept' }, { type: 'answer', kind: 'final', text: 'Яму заделали 20.11' }, { type: 'close' }] as const) await s.service.act('inc_old', action, moderator);
    const intake = new IncidentIntake({
      incidents: s.service,
      repeats: { policy, finder: new RepeatFinder({ store: s.store, contains: (o, i) => i === o || i.startsWith(`${o}, `), windowDays: 30, now: () => new Date('2026-11-25T09:00:00Z') }) },
    });
    const again = { ...road('inc_new'), ...text('Опять яма у дома 12 на Садовой! Заделали недавно, снова дыра') };
    const other = { ...road('inc_other'), ...text('Не вывозят мусор с площадки на Лесной') , topic: 'waste' };
    const placed = await intake.take([{ incident: again }, { incident: other }]);
    expect(placed[1]).toMatchObject({ incidentId: 'inc_other', opened: true });
    expect(placed[1]?.repeatOf).toBeUndefined();
    if (policy === 'link') {
      expect(placed[0]).toMatchObject({ incidentId: 'inc_new', opened: true, repeatOf: 'inc_old' });
      expect(await s.store.require('inc_new')).toMatchObject({ status: 'alert', repeatOf: { incidentId: 'inc_old' } });
      expect((await s.store.events('inc_new')).at(-1)).toMatchObject({ action: 'mark_repeat', actor: { id: 'repeat-detector' } });
      expect((await s.store.require('inc_old')).status).toBe('closed');
    } else {
      expect(placed[0]).toMatchObject({ incidentId: 'inc_old', repeatOf: 'inc_old' });
      // Counted against the body: the problem came back.
      expect(await s.store.require('inc_old')).toMatchObject({ status: 'routed', postIds: ['vk:-1_inc_old', 'vk:-1_inc_new'], reopenings: 1 });
      expect((await s.store.events('inc_old')).map((e) => e.action)).toContain('reopen');
      expect((await s.store.require('inc_new')).status).toBe('merged');
    }
    // People cannot mark repeats: only the engine does.
    await expect(s.service.act('inc_other', { type: 'mark_repeat', ofId: 'inc_old', closedAt: '2026-11-20T00:00:00Z', score: 1 }, moderator)).rejects.toMatchObject({ code: 'INCIDENT_TRANSITION_INVALID' });
  });

  it('the repeat finder reads the closed incidents at most once a minute, not for every batch of alerts', async () => {
    const s = setup();
    let reads = 0;
    let clock = Date.parse('2026-11-25T09:00:00Z');
    const store = { newestByStatus: async (st: Parameters<typeof s.store.newestByStatus>[0], n: number) => (reads++, s.store.newestByStatus(st, n)), getMany: (ids: readonly string[]) => s.store.getMany(ids) };
    const finder = new RepeatFinder({ store, contains: () => true, windowDays: 30, now: () => new Date(clock) });
    await finder.findMany([road('a1')]);
    await finder.findMany([road('a2')]);
    expect(reads).toBe(2);
    clock += 61_000;
    await finder.findMany([road('a3')]);
    expect(reads).toBe(4);
  });

  it("replies under an answered post are the residents' reaction: recorded once each, after the answer, within the window", async () => {
    const s = setup();
    // The incident the post opened has the id the post gives it (as in the engine).
    const id = incidentIdFor('vk:-1_p');
    await s.service.open([{ ...road(id), postIds: ['vk:-1_p'], authorKey: 'author-a' }]);
    await s.service.act(id, { type: 'accept' }, moderator);
    const recorder = new ReactionRecorder({ incidents: s.service, store: s.store, windowDays: 14 });
    // Before any answer, a reply is not a reaction to one.
    expect(await recorder.record([{ id: 'vk:-1_c0', parentId: 'vk:-1_p', text: 'Так ничего и не сделали', createdAt: '2026-11-23T10:00:00Z' }])).toBe(0);
    await s.service.act(id, { type: 'answer', kind: 'final', text: 'Яму заделали' }, { id: 'resp', role: 'responder', bodyId: 'city-roads' });
    const answeredAt = (await s.store.require(id)).answers[0]?.publishedAt ?? '';
    const later = (h: number) => new Date(Date.parse(answeredAt) + h * 3_600_000).toISOString();
    const replies = [
      { id: 'vk:-1_c1', parentId: 'vk:-1_p', text: 'Так ничего и не сделали, яма на месте', createdAt: later(5), authorKey: 'author-a' },
      { id: 'vk:-1_c2', parentId: 'vk:-1_p', text: 'Спасибо, заделали', createdAt: later(6), authorKey: 'neighbour' },
      { id: 'vk:-1_c3', parentId: 'vk:-1_p', text: 'А когда приедут?', createdAt: later(7) },
      { id: 'vk:-1_c4', parentId: 'vk:-1_p', text: 'Опять то же самое', createdAt: later(24 * 20) },
      { id: 'vk:-1_c5', parentId: 'vk:-1_other', text: 'Спасибо', createdAt: later(1) },
    ];
    expect(await recorder.record(replies)).toBe(2);
    expect(await recorder.record(replies.slice(0, 1))).toBe(0);
    const inc = await s.store.require(id);
    expect(inc.reactions?.map((r) => [r.postId, r.verdict, r.byAuthor])).toEqual([
      ['vk:-1_c1', 'unsatisfied', true],
      ['vk:-1_c2', 'satisfied', false],
    ]);
    // The author said it is not done: a neighbour's thanks does not outweigh that.
    expect(incidentQuality(inc).verdict).toBe('unsatisfied');
    expect((await s.store.events(id)).at(-1)).toMatchObject({ action: 'reaction', actor: { id: 'reaction-watch' } });
  });

  it('a topic changed on an alert is re-proposed by the route table in force at that moment, not the one at start', async () => {
    let table = rules.router;
    const s = setup({ current: async () => table });
    await s.service.open([road('inc_l')]);
    const r = await s.service.act('inc_l', { type: 'reclassify', topic: 'lighting' }, moderator);
    expect(r).toMatchObject({ topic: 'lighting', proposedBodyId: 'city-landscaping', routeReason: 'route lighting' });
    // An admin changes the route table: the next change of topic follows it.
    table = rules.router.withTable({ ...rules.router.routes(), routes: [{ topic: 'waste', body: 'city-admin' }] });
    const w = await s.service.act('inc_l', { type: 'reclassify', topic: 'waste' }, moderator);
    expect(w).toMatchObject({ proposedBodyId: 'city-admin', routeReason: 'route waste' });
    const events = await s.store.events('inc_l');
    expect(events.at(-1)?.details).toMatchObject({ previousProposal: 'city-landscaping', proposedBodyId: 'city-admin' });
  });
});
