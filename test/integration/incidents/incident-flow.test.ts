import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OtklikError } from '../../../src/core/errors.js';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEngine, type Engine } from '../../../src/roles/engine.js';
import { IncidentStore } from '../../../src/adapters/redis/incident.store.js';
import { RedisKeys } from '../../../src/adapters/redis/keys.js';
import { signBody } from '../../../src/adapters/notify/webhook.js';
import { RedisNotifyTargetStore } from '../../../src/adapters/redis/notify-target.store.js';
import { RouteTableStore } from '../../../src/adapters/redis/route-table.store.js';
import { StatsStore } from '../../../src/adapters/redis/stats.store.js';
import type { Incident } from '../../../src/core/incident/incident.js';
import type { Actor } from '../../../src/core/incident/lifecycle.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import type { AnswerPublisher, ReplyRequest } from '../../../src/ports/answer-publisher.js';
import { testConfig, silentLog, waitForCounts } from '../../helpers/engine.js';
import { writeCorpus } from '../../helpers/corpus.js';
import { eventually } from '../../helpers/wait.js';

const t = useTestRedis();
const moderator: Actor = { id: 'mod-anna', role: 'moderator' };
const moderator2: Actor = { id: 'mod-boris', role: 'moderator' };
const responder: Actor = { id: 'resp-ops', role: 'responder', bodyId: 'ops' };

/** A webhook receiver on loopback that records what it gets. */
let server: Server;
let hookUrl = '';
const received: { url: string; headers: IncomingMessage['headers']; body: string }[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  hookUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Routing where roads go to a 24/7 body whose clocks run for seconds, and housing to a real one. */
function routingFile(over: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'otklik-routing-'));
  const path = join(dir, 'routing.json');
  writeFileSync(
    path,
    JSON.stringify({
      version: 1,
      fallbackBody: 'hq',
      slaPolicies: {
        drill: { normal: { firstResponse: 'calendar-time:0.05', finalAnswer: 'calendar-time:0.1' }, high: { firstResponse: 'calendar-time:0.05', finalAnswer: 'calendar-time:0.1' }, warnAt: [0.5] },
        standard: { normal: { firstResponse: 'working-time:480', finalAnswer: 'working-time:3360' }, high: { firstResponse: 'working-time:240', finalAnswer: 'working-time:1440' } },
      },
      bodies: [
        { id: 'hq', name: 'Штаб', timeZone: 'Europe/Moscow', calendar: '24x7', sla: 'drill', notify: { webhookUrl: hookUrl } },
        { id: 'ops', name: 'Дежурная служба', parent: 'hq', timeZone: 'Asia/Kamchatka', calendar: '24x7', hours: '00:00-24:00', sla: 'drill', notify: { webhookUrl: hookUrl }, replyCredentials: 'OPS_VK' },
        { id: 'ops2', name: 'Вторая смена', parent: 'hq', timeZone: 'Europe/Kaliningrad', calendar: '24x7', sla: 'drill' },
        { id: 'housing', name: 'ЖКХ', timeZone: 'Europe/Moscow', calendar: 'ru', sla: 'standard' },
      ],
      routes: [
        { topic: 'roads', body: 'ops' },
        { topic: 'housing', body: 'housing' },
      ],
      ...over,
    }),
  );
  return path;
}

const roadPost = (id: number, text: string) => JSON.stringify({ platform: 'vk', kind: 'post', item: { id, owner_id: -7, from_id: 5, date: 1763730000 + id, text } });

async function engineWithAlerts(prefix: string, lines: string[], extra: Record<string, string> = {}, publisher?: AnswerPublisher, routing: Record<string, unknown> = {}): Promise<Engine> {
  const engine = await startEngine({
    ...(publisher ? { publisher } : {}),
    config: testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: writeCorpus(lines), ROUTING_FILE: routingFile(routing), WEBHOOK_SECRET: 'hook-secret', PIPELINE_LOCK_MS: '1000', ...extra }),
    log: silentLog,
  });
  await waitForCounts(t.redis, prefix, (c) => c.completed >= lines.length);
  return engine;
}

async function alerts(prefix: string): Promise<Incident[]> {
  const store = new IncidentStore(t.redis, new RedisKeys(prefix));
  return store.getMany(await store.idsByStatus('alert'));
}


describe('incidents end to end on a real Redis', () => {
  it('an alert from the pipeline is accepted, routed by the table, answered and closed, with its audit trail', async () => {
    const prefix = freshPrefix();
    const engine = await engineWithAlerts(prefix, [roadPost(1, 'На улице Ленина огромная яма, колёса пробиты, ужас'), roadPost(2, 'В доме нет горячей воды неделю, управляющая компания молчит')]);
    try {
      const list = await alerts(prefix);
      expect(list.map((i) => i.proposedBodyId).sort()).toEqual(['housing', 'ops']);
      const road = list.find((i) => i.proposedBodyId === 'ops')!;
      const routed = await engine.incidents.act(road.id, { type: 'accept' }, moderator, 1);
      expect(routed).toMatchObject({ status: 'routed', bodyId: 'ops', version: 2 });
      await engine.incidents.act(road.id, { type: 'take' }, responder);
      await engine.incidents.act(road.id, { type: 'answer', kind: 'final', text: 'Яму заделали', url: 'https://vk.com/wall-7_1?reply=9' }, responder);
      const closed = await engine.incidents.act(road.id, { type: 'close' }, moderator);
      expect(closed.status).toBe('closed');
      const store = new IncidentStore(t.redis, new RedisKeys(prefix));
      const trail = await store.events(road.id);
      expect(trail.map((e) => [e.action, e.from, e.to, e.actor.id])).toEqual([
        // Opening is a change like any other: the pipeline opened it, through the incident service.
        ['open', 'alert', 'alert', 'pipeline'],
        ['accept', 'alert', 'routed', 'mod-anna'],
        ['take', 'routed', 'in_progress', 'resp-ops'],
        ['answer', 'in_progress', 'answered_final', 'resp-ops'],
        ['close', 'answered_final', 'closed', 'mod-anna'],
      ]);
      expect(await store.idsByStatus('closed')).toEqual([road.id]);
      expect(await store.idsByStatus('alert')).not.toContain(road.id);
      // No timers left for a closed incident.
      expect(await t.redis.smembers(new RedisKeys(prefix).timerSet(road.id))).toEqual([]);
      // Every version was mirrored to the search index through the index queue.
      const mirrored = await eventually(async () => {
        const done = (await engine.queues.byStage.index.getCompleted()).map((j) => j.id ?? '').filter((id) => id.startsWith(`ix.inc.${road.id}.`));
        return done.length === 4 ? done.sort() : undefined;
      });
      expect(mirrored).toEqual([2, 3, 4, 5].map((v) => `ix.inc.${road.id}.${v}`));
      // An impossible transition is refused and changes nothing.
      await expect(engine.incidents.act(road.id, { type: 'take' }, responder)).rejects.toMatchObject({ code: 'INCIDENT_TRANSITION_INVALID' });
      expect((await store.require(road.id)).version).toBe(closed.version);
    } finally {
      await engine.stop();
    }
  });

  it('two moderators acting at once: one wins, the other gets a conflict', async () => {
    const prefix = freshPrefix();
    const engine = await engineWithAlerts(prefix, [roadPost(3, 'Яма на дороге у остановки, ужас')]);
    try {
      const [inc] = await alerts(prefix);
      const results = await Promise.allSettled([
        engine.incidents.act(inc!.id, { type: 'accept' }, moderator, 1),
        engine.incidents.act(inc!.id, { type: 'reject', reason: 'дубликат' }, moderator2, 1),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toMatchObject({ code: 'INCIDENT_VERSION_CONFLICT' });
      const store = new IncidentStore(t.redis, new RedisKeys(prefix));
      expect((await store.events(inc!.id)).map((e) => e.action)).toEqual(['open', 'accept']);
      // Even without a version from the client, the store's check keeps one writer per version.
      const fresh = await store.require(inc!.id);
      const a = { ...fresh, version: fresh.version + 1, topic: 'snow' };
      const b = { ...fresh, version: fresh.version + 1, topic: 'waste' };
      const commits = await Promise.allSettled([
        store.commit([{ incident: a, expectedVersion: fresh.version, events: [] }]),
        store.commit([{ incident: b, expectedVersion: fresh.version, events: [] }]),
      ]);
      expect(commits.map((c) => c.status).sort()).toEqual(['fulfilled', 'rejected']);
    } finally {
      await engine.stop();
    }
  });

  it('a breach fires on time on a 24/7 clock and escalates to the parent body and moderators, signed', async () => {
    received.length = 0;
    const prefix = freshPrefix();
    const engine = await engineWithAlerts(prefix, [roadPost(4, 'Яма на дороге, машины бьют колёса, ужас')], { MODERATORS_WEBHOOK_URL: `${hookUrl}?who=moderators` });
    try {
      const [inc] = await alerts(prefix);
      const routed = await engine.incidents.act(inc!.id, { type: 'accept' }, moderator);
      const dueAt = Date.parse(routed.clocks[0]!.dueAt!);
      const store = new IncidentStore(t.redis, new RedisKeys(prefix));
      const breach = await eventually(async () => (await store.events(inc!.id)).find((e) => e.action === 'clock_due' && e.details.clockId === 'first_response.body.1'));
      expect(Date.parse(breach.at) - dueAt).toBeGreaterThanOrEqual(0);
      expect(Date.parse(breach.at) - dueAt).toBeLessThan(1000);
      const warning = (await store.events(inc!.id)).find((e) => e.action === 'clock_warning');
      expect(warning?.details).toMatchObject({ fraction: 0.5 });
      // routed → ops; warnings → ops; breach → ops + hq (parent) + moderators, each signed.
      const breachHooks = await eventually(async () => {
        const hooks = received.filter((r) => r.headers['x-otklik-event'] === 'breach');
        return hooks.length >= 3 ? hooks : undefined;
      });
      for (const h of received) expect(h.headers['x-otklik-signature']).toBe(signBody('hook-secret', h.body));
      const bodies = breachHooks.map((h) => JSON.parse(h.body) as { incidentId: string; clock: { breachedAt?: string } });
      expect(bodies.every((b) => b.incidentId === inc!.id && b.clock.breachedAt)).toBe(true);
      expect(received.some((r) => r.headers['x-otklik-event'] === 'routed')).toBe(true);
      // Counted for /metrics: the breach by body and clock, the warning, every transition by action.
      const counters = await new StatsStore(t.redis, new RedisKeys(prefix)).counters();
      const count = (name: string, labels: Record<string, string>) => counters.filter((c) => c.name === name && Object.entries(labels).every(([k, v]) => c.labels[k] === v)).reduce((a, c) => a + c.value, 0);
      expect(count('otklik_sla_breaches_total', { body: 'ops', clock: 'first_response', scope: 'body' })).toBe(1);
      expect(count('otklik_sla_warnings_total', { body: 'ops' })).toBeGreaterThanOrEqual(1);
      expect(count('otklik_incident_transitions_total', { action: 'accept' })).toBe(1);
    } finally {
      await engine.stop();
    }
  });

  it('a route table set through the API routes the pipeline\'s alerts instead of the rules file', async () => {
    const prefix = freshPrefix();
    await new RouteTableStore(t.redis, new RedisKeys(prefix)).set({ fallbackBody: 'hq', routes: [{ topic: 'roads', body: 'ops2' }] }, 'user:admin', new Date());
    const engine = await engineWithAlerts(prefix, [roadPost(30, 'Яма на дороге, машины бьют колёса, ужас'), roadPost(31, 'В доме нет горячей воды неделю, управляющая компания молчит')]);
    try {
      const list = await alerts(prefix);
      // roads → ops2 by the API's table (the file says ops); housing has no route there → the fallback.
      expect(list.map((i) => [i.topic, i.proposedBodyId]).sort()).toEqual([['housing', 'hq'], ['roads', 'ops2']]);
    } finally {
      await engine.stop();
    }
  });

  it('targets set through the API win over the rules file at once, without a restart; {} silences a body', async () => {
    received.length = 0;
    const prefix = freshPrefix();
    const engine = await engineWithAlerts(prefix, [roadPost(20, 'Яма на дороге, машины бьют колёса, ужас'), roadPost(21, 'В доме нет горячей воды неделю, управляющая компания молчит')]);
    try {
      const targets = new RedisNotifyTargetStore(t.redis, new RedisKeys(prefix));
      // housing has no targets in the rules file; ops has the shared hook.
      await targets.set('housing', { webhookUrl: `${hookUrl}?who=housing-api` }, 'user:admin', new Date());
      await targets.set('ops', {}, 'user:admin', new Date());
      const list = await alerts(prefix);
      for (const inc of list) await engine.incidents.act(inc.id, { type: 'accept' }, moderator);
      const housing = list.find((i) => i.proposedBodyId === 'housing')!;
      const hook = await eventually(async () => received.find((r) => r.url.includes('who=housing-api')));
      expect(hook.headers['x-otklik-event']).toBe('routed');
      expect(JSON.parse(hook.body)).toMatchObject({ incidentId: housing.id });
      // Both notifications were expanded: the silenced body got no delivery.
      await eventually(async () => ((await engine.queues.notify.getCompleted()).filter((j) => j.name !== 'deliver').length >= 2 ? true : undefined));
      await sleep(300);
      expect(received.filter((r) => !r.url.includes('who=housing-api'))).toEqual([]);
      // Reset: the rules file's target applies again.
      expect(await targets.clear('ops')).toBe(true);
      expect(await targets.getMany(['ops', 'housing'])).toEqual(new Map([['housing', expect.objectContaining({ updatedBy: 'user:admin' })]]));
    } finally {
      await engine.stop();
    }
  });

  it('reroute and pause re-plan the timers', async () => {
    const prefix = freshPrefix();
    const engine = await engineWithAlerts(prefix, [roadPost(5, 'Яма на дороге, опасно')]);
    const keys = new RedisKeys(prefix);
    try {
      const [inc] = await alerts(prefix);
      // A long clock for this test: a high-priority incident with the body's normal policy is still seconds, so pause at once.
      await engine.incidents.act(inc!.id, { type: 'accept', bodyId: 'housing' }, moderator);
      const before = (await t.redis.smembers(keys.timerSet(inc!.id))).sort();
      expect(before.length).toBe(6); // two clocks × (two warnings + due)
      const rerouted = await engine.incidents.act(inc!.id, { type: 'reroute', bodyId: 'ops2', reason: 'это не ЖКХ' }, moderator);
      const after = (await t.redis.smembers(keys.timerSet(inc!.id))).sort();
      expect(after).not.toEqual(before);
      expect(after.some((id) => id.includes('first_response.body.2'))).toBe(true);
      expect(after.some((id) => id.includes('first_response.body.1'))).toBe(false);
      const delayed = await engine.queues.timers.getDelayed();
      expect(delayed.map((j) => j.id ?? '').filter((id) => id.startsWith(`tm.${inc!.id}.`)).sort()).toEqual(after);
      const paused = await engine.incidents.act(inc!.id, { type: 'pause', reason: 'ждём ответа заявителя' }, moderator);
      expect(paused.status).toBe('paused');
      expect(await t.redis.smembers(keys.timerSet(inc!.id))).toEqual([]);
      await sleep(300);
      const resumed = await engine.incidents.act(inc!.id, { type: 'resume' }, moderator);
      // The 24/7 body clock moves by the pause; the working-time incident clock (paused outside working hours or not) never moves earlier.
      const due = (i: Incident, id: string) => Date.parse(i.clocks.find((c) => c.id === id)!.dueAt!);
      expect(due(resumed, 'first_response.body.2') - due(rerouted, 'first_response.body.2')).toBeGreaterThanOrEqual(250);
      expect(due(resumed, 'first_response.incident.1')).toBeGreaterThanOrEqual(due(rerouted, 'first_response.incident.1'));
      expect((await t.redis.smembers(keys.timerSet(inc!.id))).length).toBeGreaterThan(0);
    } finally {
      await engine.stop();
    }
  });

  it('a restart between planning and firing loses nothing and repeats nothing', async () => {
    const prefix = freshPrefix();
    const lines = [roadPost(6, 'Яма на дороге, ужас, колесо')];
    const first = await engineWithAlerts(prefix, lines);
    const [inc] = await alerts(prefix);
    await first.incidents.act(inc!.id, { type: 'accept' }, moderator);
    await first.stop();
    // Down past every due time (3 s clock): the delayed jobs wait in Redis.
    await sleep(4000);
    const second = await startEngine({
      config: testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: writeCorpus(lines), ROUTING_FILE: routingFile(), PIPELINE_LOCK_MS: '1000' }),
      log: silentLog,
    });
    try {
      const store = new IncidentStore(t.redis, new RedisKeys(prefix));
      await eventually(async () => {
        const ev = await store.events(inc!.id);
        return ev.filter((e) => e.action === 'clock_due').length >= 2 ? ev : undefined;
      });
      await sleep(1500);
      const events = await store.events(inc!.id);
      expect(events.filter((e) => e.action === 'clock_due').map((e) => e.details.clockId).sort()).toEqual(['first_response.body.1', 'first_response.incident.1']);
      expect(events.filter((e) => e.action === 'clock_warning')).toHaveLength(2);
      expect(await t.redis.smembers(new RedisKeys(prefix).timerSet(inc!.id))).toEqual([]);
    } finally {
      await second.stop();
    }
  });

  it('an answer is published under the original post when the platform can reply; the platform timestamp counts', async () => {
    const calls: ReplyRequest[] = [];
    let fail: 'impossible' | 'flood' | false = 'impossible';
    let platformAt = '';
    // Stands in for the VK connector's reply (the platform cannot be reached from tests).
    const publisher: AnswerPublisher = {
      canReply: (platform) => platform === 'vk',
      reply: async (r) => {
        calls.push(r);
        if (fail === 'impossible') throw new OtklikError('REPLY_NOT_POSSIBLE', "OPS_VK is community 5's token, and a community token answers only on its own wall", { details: { platform: 'vk', reason: 'foreign-wall' } });
        if (fail) throw new Error('VK error 9: flood control');
        // VK's own record of the comment: before the engine commits the answer, after the incident opened.
        platformAt = new Date().toISOString();
        return { url: `https://vk.com/wall-7_7?reply=100`, publishedAt: platformAt };
      },
    };
    const prefix = freshPrefix();
    const engine = await engineWithAlerts(prefix, [roadPost(7, 'Яма на дороге, ужас')], {}, publisher);
    try {
      const [inc] = await alerts(prefix);
      const routed = await engine.incidents.act(inc!.id, { type: 'accept' }, moderator);
      // Impossible with these credentials: said as such, not retried as a failure.
      await expect(engine.incidents.act(inc!.id, { type: 'answer', kind: 'final', text: 'Заделаем завтра' }, responder)).rejects.toMatchObject({ code: 'REPLY_NOT_POSSIBLE', retryable: false, details: { reason: 'foreign-wall' } });
      fail = 'flood';
      await expect(engine.incidents.act(inc!.id, { type: 'answer', kind: 'final', text: 'Заделаем завтра' }, responder)).rejects.toMatchObject({ code: 'REPLY_FAILED', retryable: true });
      const store = new IncidentStore(t.redis, new RedisKeys(prefix));
      expect((await store.require(inc!.id)).version).toBe(routed.version);
      fail = false;
      // Nobody but the engine says when an answer was published.
      await expect(engine.incidents.act(inc!.id, { type: 'answer', kind: 'final', text: 'Заделаем завтра', publication: { at: '2020-01-01T00:00:00Z' } }, responder)).rejects.toMatchObject({ code: 'INCIDENT_ACTION_INVALID' });
      expect(calls).toHaveLength(2);
      const answered = await engine.incidents.act(inc!.id, { type: 'answer', kind: 'final', text: 'Заделаем завтра' }, responder);
      expect(calls).toHaveLength(3);
      expect(calls[2]).toMatchObject({ postId: 'vk:-7_7', credentialsRef: 'OPS_VK', text: 'Заделаем завтра', idempotencyKey: `${inc!.id}.${routed.version}` });
      expect(calls[0]?.idempotencyKey).toBe(calls[2]?.idempotencyKey);
      expect(answered.answers[0]).toMatchObject({ url: 'https://vk.com/wall-7_7?reply=100', publishedAt: platformAt, published: true });
      expect(answered.clocks.find((c) => c.id === 'first_response.body.1')?.stoppedAt).toBe(platformAt);
    } finally {
      await engine.stop();
    }
  });

  it('a region that reviews answers: the final answer goes out when a moderator approves it, not before; one sent back reaches the body with the remark', async () => {
    const calls: ReplyRequest[] = [];
    const publisher: AnswerPublisher = {
      canReply: (platform) => platform === 'vk',
      reply: async (r) => {
        calls.push(r);
        return { url: `https://vk.com/wall-7_8?reply=${calls.length}`, publishedAt: new Date().toISOString() };
      },
    };
    const prefix = freshPrefix();
    const engine = await engineWithAlerts(prefix, [roadPost(8, 'Яма на дороге у школы, машины бьют колёса')], {}, publisher, { answerReview: true });
    try {
      const [inc] = await alerts(prefix);
      await engine.incidents.act(inc!.id, { type: 'accept' }, moderator);
      const submitted = await engine.incidents.act(inc!.id, { type: 'answer', kind: 'final', text: 'Ваше обращение принято' }, responder);
      expect(submitted).toMatchObject({ status: 'on_review', review: { text: 'Ваше обращение принято' } });
      expect(calls).toHaveLength(0);
      const returned = await engine.incidents.act(inc!.id, { type: 'return_answer', reason: 'Это отписка: напишите, что и когда сделают' }, moderator);
      expect(returned.status).toBe('in_progress');
      const hook = await eventually(async () => received.find((r) => r.headers['x-otklik-event'] === 'returned' && (JSON.parse(r.body) as { incidentId?: string }).incidentId === inc!.id));
      expect(JSON.parse(hook.body)).toMatchObject({ event: 'returned', status: 'in_progress', bodyId: 'ops' });
      await engine.incidents.act(inc!.id, { type: 'answer', kind: 'final', text: 'Яму заделают 25 ноября, бригада подрядчика' }, responder);
      expect(calls).toHaveLength(0);
      const approved = await engine.incidents.act(inc!.id, { type: 'approve_answer' }, moderator);
      expect(calls).toEqual([expect.objectContaining({ postId: 'vk:-7_8', text: 'Яму заделают 25 ноября, бригада подрядчика', credentialsRef: 'OPS_VK' })]);
      expect(approved).toMatchObject({ status: 'answered_final', answers: [{ published: true, url: 'https://vk.com/wall-7_8?reply=1', by: responder.id }] });
      expect(approved.returns).toHaveLength(1);
    } finally {
      await engine.stop();
    }
  });
});
