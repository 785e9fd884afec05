import { describe, expect, it } from 'vitest';
import { transition, type Actor, type IncidentAction } from '../../../../src/core/incident/lifecycle.js';
import { timerPoints } from '../../../../src/core/incident/clocks.js';
import type { Incident } from '../../../../src/core/incident/incident.js';
import { alertIncident, shippedEnv } from '../../../helpers/incident-env.js';

const env = shippedEnv();
const moderator: Actor = { id: 'mod-1', role: 'moderator' };
const responder: Actor = { id: 'resp-roads', role: 'responder', bodyId: 'city-roads' };
const system: Actor = { id: 'timer', role: 'system' };
const at = (iso: string) => new Date(iso);

function run(incident: Incident, steps: [IncidentAction, Actor, string][], e = env): Incident {
  return steps.reduce((inc, [a, who, when]) => transition(inc, a, who, at(when), e).incident, incident);
}

const accepted = () => transition(alertIncident(), { type: 'accept' }, moderator, at('2025-11-12T10:00:00+03:00'), env);

describe('incident lifecycle', () => {
  it('accept: routed to the proposed body, clocks started, audited, notified', () => {
    const r = accepted();
    expect(r.incident).toMatchObject({ status: 'routed', bodyId: 'city-roads', version: 2 });
    const [body, whole] = r.incident.clocks;
    expect(body).toMatchObject({ id: 'first_response.body.1', scope: 'body', bodyId: 'city-roads', policy: 'working-time:480', dueAt: '2025-11-13T07:00:00.000Z', provisional: false });
    expect(whole).toMatchObject({ id: 'first_response.incident.1', scope: 'incident', dueAt: body?.dueAt });
    expect(body?.explain).toMatch(/^due Thu 2025-11-13 10:00 Europe\/Moscow/);
    expect(r.event).toMatchObject({ action: 'accept', from: 'alert', to: 'routed', version: 2, actor: moderator, details: { bodyId: 'city-roads' } });
    expect(r.effects).toContainEqual({ type: 'notify', event: 'routed', bodyIds: ['city-roads'], moderators: false });
  });

  it('accept can override body, topic and priority; unknown ones are refused', () => {
    const r = transition(alertIncident(), { type: 'accept', bodyId: 'city-housing', topic: 'snow', priority: 'high' }, moderator, at('2025-11-12T10:00:00+03:00'), env);
    expect(r.incident).toMatchObject({ bodyId: 'city-housing', topic: 'snow', priority: 'high' });
    expect(r.incident.clocks[0]?.policy).toBe('working-time:240');
    expect(r.event?.details).toMatchObject({ previousTopic: 'roads', overrodeProposal: 'city-roads' });
    expect(() => transition(alertIncident(), { type: 'accept', bodyId: 'nope' }, moderator, new Date(), env)).toThrow(expect.objectContaining({ code: 'BODY_UNKNOWN' }));
    expect(() => transition(alertIncident(), { type: 'accept', topic: 'weather' }, moderator, new Date(), env)).toThrow(expect.objectContaining({ code: 'TOPIC_UNKNOWN' }));
  });

  it('attach_duplicate: only the engine attaches a near-copy, once, to an incident still open', () => {
    const r = transition(alertIncident(), { type: 'attach_duplicate', postIds: ['vk:-8_2'], similarity: 0.8 }, system, new Date(), env);
    expect(r.incident.postIds).toEqual(['vk:-1_1', 'vk:-8_2']);
    expect(r.incident.status).toBe('alert');
    expect(r.event?.details).toEqual({ postIds: ['vk:-8_2'], similarity: 0.8 });
    expect(transition(r.incident, { type: 'attach_duplicate', postIds: ['vk:-8_2'], similarity: 0.8 }, system, new Date(), env).event).toBeUndefined();
    expect(() => transition(alertIncident(), { type: 'attach_duplicate', postIds: ['x'], similarity: 0.8 }, moderator, new Date(), env)).toThrow(expect.objectContaining({ code: 'INCIDENT_TRANSITION_INVALID' }));
    const rejected = transition(alertIncident(), { type: 'reject', reason: 'спам' }, moderator, new Date(), env).incident;
    expect(() => transition(rejected, { type: 'attach_duplicate', postIds: ['x'], similarity: 0.8 }, system, new Date(), env)).toThrow(/cannot attach_duplicate an incident that is rejected/);
  });

  it('reclassify files under a group or a topic inside one; the topic the moderator chose is audited', () => {
    const r = transition(alertIncident({ subtopic: 'roads.potholes' }), { type: 'reclassify', topic: 'snow.yards' }, moderator, new Date(), env);
    expect(r.incident).toMatchObject({ topic: 'snow', subtopic: 'snow.yards' });
    expect(r.event?.details).toEqual({ previousTopic: 'roads.potholes', topic: 'snow.yards' });
    const back = transition(r.incident, { type: 'reclassify', topic: 'roads' }, moderator, new Date(), env).incident;
    expect(back.topic).toBe('roads');
    expect(back.subtopic).toBeUndefined();
    expect(() => transition(alertIncident(), { type: 'reclassify', topic: 'snow.weather' }, moderator, new Date(), env)).toThrow(expect.objectContaining({ code: 'TOPIC_UNKNOWN' }));
  });

  it('a changed topic re-proposes the alert to the new topic\'s body, with why; an accepted incident keeps its body', () => {
    const propose = (topic: string, territory: string | undefined) => (topic.startsWith('lighting') ? { bodyId: 'city-landscaping', reason: `route lighting${territory ? ` × ${territory}` : ''}` } : { bodyId: 'city-roads', reason: 'route roads' });
    const withRoutes = { ...env, propose };
    const r = transition(alertIncident({ territory: 'г. Энск' }), { type: 'reclassify', topic: 'lighting' }, moderator, new Date(), withRoutes);
    expect(r.incident).toMatchObject({ topic: 'lighting', proposedBodyId: 'city-landscaping', routeReason: 'route lighting × г. Энск' });
    expect(r.event?.details).toMatchObject({ previousProposal: 'city-roads', proposedBodyId: 'city-landscaping' });
    // Accepting under another topic without naming a body routes to the new topic's body.
    const a = transition(alertIncident(), { type: 'accept', topic: 'lighting' }, moderator, new Date(), withRoutes);
    expect(a.incident).toMatchObject({ status: 'routed', bodyId: 'city-landscaping' });
    expect(a.event?.details.overrodeProposal).toBeUndefined();
    // Once routed, a topic change does not move the incident (a reroute does).
    const routed = transition(alertIncident(), { type: 'accept' }, moderator, new Date(), withRoutes).incident;
    const later = transition(routed, { type: 'reclassify', topic: 'lighting' }, moderator, new Date(), withRoutes).incident;
    expect(later).toMatchObject({ bodyId: 'city-roads', proposedBodyId: 'city-roads' });
  });

  it.each<[string, () => Incident, IncidentAction, Actor]>([
    ['take an alert', () => alertIncident(), { type: 'take' }, responder],
    ['close a routed incident', () => accepted().incident, { type: 'close' }, moderator],
    ['accept twice', () => accepted().incident, { type: 'accept' }, moderator],
    ['resume what is not paused', () => accepted().incident, { type: 'resume' }, moderator],
    ['answer a rejected incident', () => transition(alertIncident(), { type: 'reject', reason: 'спам' }, moderator, new Date(), env).incident, { type: 'answer', kind: 'final', text: 'x' }, moderator],
  ])('an impossible transition is refused: %s', (_n, make, action, who) => {
    const before = make();
    const copy = structuredClone(before);
    expect(() => transition(before, action, who, new Date('2025-11-12T12:00:00Z'), env)).toThrow(expect.objectContaining({ code: 'INCIDENT_TRANSITION_INVALID' }));
    expect(before).toEqual(copy);
  });

  it('roles and body scope: responders answer only for their body and the bodies below it', () => {
    expect(() => transition(alertIncident(), { type: 'accept' }, responder, new Date(), env)).toThrow(/a responder may not accept/);
    const routed = accepted().incident;
    const other: Actor = { id: 'r2', role: 'responder', bodyId: 'city-transport' };
    expect(() => transition(routed, { type: 'take' }, other, new Date(), env)).toThrow(/not assigned to your body/);
    const parent: Actor = { id: 'r3', role: 'responder', bodyId: 'city-admin' };
    expect(transition(routed, { type: 'take' }, parent, new Date(), env).incident.status).toBe('in_progress');
    expect(() => transition(routed, { type: 'clock_due', clockId: 'x' }, moderator, new Date(), env)).toThrow(/a moderator may not clock_due/);
  });

  it('reject needs a reason; reopen brings a rejected incident back with fresh clocks', () => {
    expect(() => transition(alertIncident(), { type: 'reject', reason: '' }, moderator, new Date(), env)).toThrow(
      expect.objectContaining({ code: 'INCIDENT_ACTION_INVALID', message: expect.stringContaining('reason: a reason of at least 3 characters') }),
    );
    expect(() => transition(alertIncident(), { type: 'fly' } as unknown as IncidentAction, moderator, new Date(), env)).toThrow(expect.objectContaining({ code: 'INCIDENT_ACTION_INVALID' }));
    const rejected = transition(alertIncident(), { type: 'reject', reason: 'реклама' }, moderator, at('2025-11-12T10:00:00+03:00'), env);
    expect(rejected.incident).toMatchObject({ status: 'rejected', rejection: { reason: 'реклама', by: 'mod-1' } });
    expect(rejected.event?.reason).toBe('реклама');
    const reopened = transition(rejected.incident, { type: 'reopen', reason: 'житель написал снова' }, moderator, at('2025-11-13T10:00:00+03:00'), env);
    expect(reopened.incident.status).toBe('routed');
    expect(reopened.incident.clocks.filter((c) => c.stoppedAt === undefined)).toHaveLength(2);
    expect(reopened.effects).toContainEqual({ type: 'notify', event: 'reopen', bodyIds: ['city-roads'], moderators: true });
  });

  it('an answer counts at the time the engine knows, never at one a person gives: no backdating, no future', () => {
    const taken = run(accepted().incident, [[{ type: 'take' }, responder, '2025-11-12T11:00:00+03:00']]);
    // Recorded without publication: the server's time of the action, whatever the responder thinks.
    const recorded = transition(taken, { type: 'answer', kind: 'final', text: 'Отремонтировано', url: 'https://vk.com/wall-1_1?reply=9' }, responder, at('2025-11-12T16:00:00+03:00'), env).incident;
    expect(recorded.answers[0]).toMatchObject({ publishedAt: '2025-11-12T13:00:00.000Z', published: false, url: 'https://vk.com/wall-1_1?reply=9' });
    // A platform timestamp before the incident existed, or after now, is held to the incident's life.
    const early = transition(taken, { type: 'answer', kind: 'final', text: 'Да', publication: { at: '2020-01-01T00:00:00Z' } }, responder, at('2025-11-12T16:00:00+03:00'), env).incident;
    expect(early.answers[0]?.publishedAt).toBe(taken.createdAt);
    const late = transition(taken, { type: 'answer', kind: 'final', text: 'Да', publication: { at: '2030-01-01T00:00:00Z' } }, responder, at('2025-11-12T16:00:00+03:00'), env).incident;
    expect(late.answers[0]).toMatchObject({ publishedAt: '2025-11-12T13:00:00.000Z', published: true });
    // An old-style backdated field is not an answer field at all.
    expect(() => transition(taken, { type: 'answer', kind: 'final', text: 'Да', publishedAt: '2020-01-01T00:00:00Z' } as unknown as IncidentAction, responder, new Date(), env)).toThrow(expect.objectContaining({ code: 'INCIDENT_ACTION_INVALID' }));
  });

  it("a recorded link is an http(s) link to the post's platform", () => {
    const taken = run(accepted().incident, [[{ type: 'take' }, responder, '2025-11-12T11:00:00+03:00']]);
    const answer = (url: string) => () => transition(taken, { type: 'answer', kind: 'final', text: 'Да', url }, responder, at('2025-11-12T16:00:00+03:00'), env);
    expect(answer('javascript:alert(1)')).toThrow(expect.objectContaining({ code: 'INCIDENT_ACTION_INVALID', message: expect.stringMatching(/http\(s\)/) }));
    expect(answer('data:text/html,hi')).toThrow(expect.objectContaining({ code: 'INCIDENT_ACTION_INVALID' }));
    expect(answer('https://evil.example/vk.com')).toThrow(expect.objectContaining({ code: 'INCIDENT_ACTION_INVALID', message: expect.stringMatching(/vk\.com/) }));
    expect(answer('https://m.vk.com/wall-1_1')().incident.answers[0]?.url).toBe('https://m.vk.com/wall-1_1');
  });

  it('the whole happy path: take, interim answer (final-answer clock opens), final answer, close', () => {
    const inc = run(accepted().incident, [
      [{ type: 'take' }, responder, '2025-11-12T11:00:00+03:00'],
      [{ type: 'answer', kind: 'interim', text: 'Заявка передана подрядчику', publication: { at: '2025-11-12T15:00:00+03:00' } }, responder, '2025-11-12T15:01:00+03:00'],
    ]);
    expect(inc.status).toBe('answered_interim');
    const fr = inc.clocks.filter((c) => c.kind === 'first_response');
    expect(fr.every((c) => c.outcome === 'met' && c.stoppedAt === '2025-11-12T12:00:00.000Z')).toBe(true);
    // 10:00 → 15:00 on a Wednesday: five hours on the wall, four working hours (lunch excluded).
    expect(fr[0]?.elapsed).toEqual({ wallMinutes: 300, workingMinutes: 240 });
    const fa = inc.clocks.find((c) => c.kind === 'final_answer');
    expect(fa).toMatchObject({ policy: 'working-time:3360', startedAt: '2025-11-12T12:00:00.000Z' });
    // 7 working days from Wed 15:00: Fri 21 Nov 15:00.
    expect(fa?.dueAt).toBe('2025-11-21T12:00:00.000Z');
    const done = run(inc, [
      [{ type: 'answer', kind: 'final', text: 'Яма заделана', url: 'https://vk.com/wall-1_1?reply=5' }, responder, '2025-11-14T12:00:00+03:00'],
      [{ type: 'close' }, moderator, '2025-11-14T13:00:00+03:00'],
    ]);
    expect(done.status).toBe('closed');
    expect(done.version).toBe(6);
    expect(done.clocks.every((c) => c.stoppedAt !== undefined)).toBe(true);
    expect(done.answers.map((a) => a.kind)).toEqual(['interim', 'final']);
  });

  it('where the region reviews answers, a final answer waits on_review with the clocks paused; a moderator publishes it or sends it back', () => {
    const reviewed = shippedEnv({ answerReview: true });
    const taken = run(accepted().incident, [[{ type: 'take' }, responder, '2025-11-12T11:00:00+03:00']], reviewed);
    const submitted = transition(taken, { type: 'answer', kind: 'final', text: 'Обращение принято' }, responder, at('2025-11-12T12:00:00+03:00'), reviewed);
    expect(submitted.incident).toMatchObject({ status: 'on_review', review: { text: 'Обращение принято', by: 'resp-roads', submittedAt: '2025-11-12T09:00:00.000Z' }, answers: [] });
    // Nothing is public yet: no clock stopped, each one paused (no deadline to chase meanwhile).
    expect(submitted.incident.clocks.every((c) => c.stoppedAt === undefined && c.dueAt === undefined)).toBe(true);
    expect(submitted.effects).toContainEqual({ type: 'notify', event: 'review', bodyIds: [], moderators: true });
    // A responder cannot approve their own answer.
    expect(() => transition(submitted.incident, { type: 'approve_answer' }, responder, at('2025-11-12T12:30:00+03:00'), reviewed)).toThrow(expect.objectContaining({ code: 'INCIDENT_TRANSITION_INVALID' }));
    // Sent back: in work again with the remark, the clocks running from where they were.
    const returned = transition(submitted.incident, { type: 'return_answer', reason: 'Нет срока и того, кто сделает' }, moderator, at('2025-11-12T14:00:00+03:00'), reviewed);
    expect(returned.incident).toMatchObject({ status: 'in_progress', returns: [{ text: 'Обращение принято', remark: 'Нет срока и того, кто сделает', by: 'mod-1' }] });
    expect(returned.incident.review).toBeUndefined();
    expect(returned.effects).toContainEqual({ type: 'notify', event: 'returned', bodyIds: ['city-roads'], moderators: false });
    const fr = returned.incident.clocks.find((c) => c.kind === 'first_response' && c.scope === 'body');
    // Paused 12:00–14:00 on a Wednesday, one working hour of it (13–14 is lunch): the deadline moved an hour on.
    const before = taken.clocks.find((c) => c.kind === 'first_response' && c.scope === 'body');
    expect(Date.parse(fr?.dueAt ?? '') - Date.parse(before?.dueAt ?? '')).toBe(3_600_000);
    // Reworked and approved: published as the responder's answer, the clocks stopped at publication.
    const again = transition(returned.incident, { type: 'answer', kind: 'final', text: 'Яму заделают до 20 ноября, ответственный — мастер Петров' }, responder, at('2025-11-12T15:00:00+03:00'), reviewed);
    const approved = transition(again.incident, { type: 'approve_answer', publication: { at: '2025-11-12T15:30:00+03:00' } }, moderator, at('2025-11-12T15:31:00+03:00'), reviewed);
    expect(approved.incident).toMatchObject({ status: 'answered_final', answers: [{ kind: 'final', by: 'resp-roads', published: true, publishedAt: '2025-11-12T12:30:00.000Z' }] });
    expect(approved.incident.review).toBeUndefined();
    expect(approved.incident.clocks.every((c) => c.stoppedAt !== undefined)).toBe(true);
    // The reviews' time is not the body's: of 10:00–15:30 the body had 10–12 and 14–15 (12–14 and from 15:00 under review, 13–14 lunch).
    expect(approved.incident.clocks.find((c) => c.kind === 'first_response' && c.scope === 'body')?.elapsed?.workingMinutes).toBe(180);
    expect(approved.event?.details).toMatchObject({ approvedBy: 'mod-1', kind: 'final' });
    // Moderators' own answers and interim answers go out at once.
    expect(transition(taken, { type: 'answer', kind: 'final', text: 'Сделано' }, moderator, at('2025-11-12T12:00:00+03:00'), reviewed).incident.status).toBe('answered_final');
    expect(transition(taken, { type: 'answer', kind: 'interim', text: 'Передано подрядчику' }, responder, at('2025-11-12T12:00:00+03:00'), reviewed).incident.status).toBe('answered_interim');
    // Without review (the default) a responder's final answer is final.
    expect(transition(taken, { type: 'answer', kind: 'final', text: 'Сделано' }, responder, at('2025-11-12T12:00:00+03:00'), env).incident.status).toBe('answered_final');
  });

  it('reopening an answered or closed incident counts; bringing back a rejected alert does not', () => {
    const done = run(accepted().incident, [[{ type: 'answer', kind: 'final', text: 'Сделано' }, responder, '2025-11-12T12:00:00+03:00']]);
    const once = transition(done, { type: 'reopen', reason: 'житель пишет: яма на месте' }, moderator, at('2025-11-13T10:00:00+03:00'), env).incident;
    expect(once.reopenings).toBe(1);
    const twice = run(once, [
      [{ type: 'answer', kind: 'final', text: 'Сделано снова' }, responder, '2025-11-13T12:00:00+03:00'],
      [{ type: 'close' }, moderator, '2025-11-13T13:00:00+03:00'],
      [{ type: 'reopen', reason: 'опять яма' }, moderator, '2025-11-14T10:00:00+03:00'],
    ]);
    expect(twice.reopenings).toBe(2);
    const rejected = transition(alertIncident(), { type: 'reject', reason: 'реклама' }, moderator, at('2025-11-12T10:00:00+03:00'), env).incident;
    expect(transition(rejected, { type: 'reopen', reason: 'ошибся' }, moderator, at('2025-11-12T10:05:00+03:00'), env).incident.reopenings).toBeUndefined();
  });

  it('an answer after the deadline stops the clock as late', () => {
    const inc = run(accepted().incident, [[{ type: 'answer', kind: 'final', text: 'Сделано' }, responder, '2025-11-14T10:00:00+03:00']]);
    expect(inc.clocks.find((c) => c.kind === 'first_response')?.outcome).toBe('late');
  });

  it('pause and resume: the pause is taken out of the clock, even when it ends on a weekend', () => {
    const inc = run(accepted().incident, [[{ type: 'pause', reason: 'ждём ответа автора' }, responder, '2025-11-12T15:00:00+03:00']]);
    expect(inc.status).toBe('paused');
    expect(inc.clocks[0]?.dueAt).toBeUndefined();
    expect(timerPoints(inc.clocks[0]!, env)).toEqual([]);
    const resumed = run(inc, [[{ type: 'resume' }, responder, '2025-11-15T12:00:00+03:00']]);
    expect(resumed.status).toBe('routed');
    // 10:00–15:00 Wed used 240 minutes; 240 more from Monday 09:00.
    expect(resumed.clocks[0]?.dueAt).toBe('2025-11-17T10:00:00.000Z');
  });

  it('reroute: the body clock restarts for the new body, the incident clock keeps running', () => {
    const r = transition(accepted().incident, { type: 'reroute', bodyId: 'city-housing', reason: 'это двор, а не дорога' }, responder, at('2025-11-12T16:00:00+03:00'), env);
    expect(r.incident).toMatchObject({ status: 'routed', bodyId: 'city-housing', reroutes: [{ from: 'city-roads', to: 'city-housing', by: 'resp-roads' }] });
    const clocks = Object.fromEntries(r.incident.clocks.map((c) => [c.id, c]));
    expect(clocks['first_response.body.1']).toMatchObject({ outcome: 'rerouted' });
    expect(clocks['first_response.body.2']).toMatchObject({ bodyId: 'city-housing', startedAt: '2025-11-12T13:00:00.000Z' });
    expect(clocks['first_response.incident.1']).toMatchObject({ startedAt: '2025-11-12T07:00:00.000Z', dueAt: '2025-11-13T07:00:00.000Z' });
    expect(r.effects).toContainEqual({ type: 'notify', event: 'reroute', bodyIds: ['city-housing', 'city-roads'], moderators: true });
    expect(() => transition(accepted().incident, { type: 'reroute', bodyId: 'city-roads', reason: 'тот же' }, moderator, new Date(), env)).toThrow(/already with that body/);
  });

  it('reroute without restarting body clocks (configurable): the clock moves to the new body', () => {
    const keep = shippedEnv({ rerouteRestartsBodyClock: false });
    const routed = transition(alertIncident(), { type: 'accept' }, moderator, at('2025-11-12T10:00:00+03:00'), keep).incident;
    const r = transition(routed, { type: 'reroute', bodyId: 'city-housing', reason: 'не наш вопрос' }, moderator, at('2025-11-12T16:00:00+03:00'), keep);
    expect(r.incident.clocks.find((c) => c.id === 'first_response.body.1')).toMatchObject({ bodyId: 'city-housing', startedAt: '2025-11-12T07:00:00.000Z' });
  });

  it('warnings fire once each at fractions of the budget; the breach escalates to the parent and moderators', () => {
    const routed = accepted().incident;
    const clock = routed.clocks[0]!;
    expect(timerPoints(clock, env)).toEqual([
      { clockId: clock.id, kind: 'warning', fraction: 0.5, at: '2025-11-12T12:00:00.000Z' },
      { clockId: clock.id, kind: 'warning', fraction: 0.8, at: '2025-11-12T14:24:00.000Z' },
      { clockId: clock.id, kind: 'due', at: '2025-11-13T07:00:00.000Z' },
    ]);
    const warned = transition(routed, { type: 'clock_warning', clockId: clock.id, fraction: 0.5 }, system, at('2025-11-12T15:00:00+03:00'), env);
    expect(warned.effects).toEqual([{ type: 'notify', event: 'warning', bodyIds: ['city-roads'], moderators: false, clockId: clock.id }]);
    const again = transition(warned.incident, { type: 'clock_warning', clockId: clock.id, fraction: 0.5 }, system, at('2025-11-12T15:00:01+03:00'), env);
    expect(again.event).toBeUndefined();
    expect(again.incident).toBe(warned.incident);
    // Early: nothing. On time: breached, escalated. Twice: nothing.
    expect(transition(routed, { type: 'clock_due', clockId: clock.id }, system, at('2025-11-13T09:59:00+03:00'), env).event).toBeUndefined();
    const breached = transition(routed, { type: 'clock_due', clockId: clock.id }, system, at('2025-11-13T10:00:00+03:00'), env);
    expect(breached.incident.clocks[0]?.breachedAt).toBe('2025-11-13T07:00:00.000Z');
    expect(breached.effects).toEqual([{ type: 'notify', event: 'breach', bodyIds: ['city-roads', 'city-admin'], moderators: true, clockId: clock.id }]);
    expect(transition(breached.incident, { type: 'clock_due', clockId: clock.id }, system, at('2025-11-13T10:05:00+03:00'), env).event).toBeUndefined();
    expect(timerPoints(breached.incident.clocks[0]!, env).filter((p) => p.kind === 'due')).toEqual([]);
  });

  it('set priority re-plans running clocks with the new policy', () => {
    const r = transition(accepted().incident, { type: 'set_priority', priority: 'high' }, moderator, at('2025-11-12T11:00:00+03:00'), env);
    expect(r.incident.clocks[0]).toMatchObject({ policy: 'working-time:240', dueAt: '2025-11-12T12:00:00.000Z' });
  });

  it('merge, absorb and split keep posts accounted for', () => {
    const a = accepted().incident;
    const merged = transition(a, { type: 'merge', intoId: 'inc_other' }, moderator, new Date('2025-11-12T09:00:00Z'), env);
    expect(merged.incident).toMatchObject({ status: 'merged', mergedInto: 'inc_other' });
    expect(merged.incident.clocks.every((c) => c.outcome === 'cancelled')).toBe(true);
    expect(() => transition(a, { type: 'merge', intoId: a.id }, moderator, new Date(), env)).toThrow(/into itself/);
    const absorbed = transition(a, { type: 'absorb', fromId: 'inc_x', postIds: ['vk:-1_2', 'vk:-1_1'] }, moderator, new Date(), env);
    expect(absorbed.incident.postIds).toEqual(['vk:-1_1', 'vk:-1_2']);
    const split = transition(absorbed.incident, { type: 'split_off', postIds: ['vk:-1_2'], newId: 'inc_new' }, moderator, new Date(), env);
    expect(split.incident.postIds).toEqual(['vk:-1_1']);
    expect(() => transition(split.incident, { type: 'split_off', postIds: ['vk:-1_1'], newId: 'inc_n2' }, moderator, new Date(), env)).toThrow(/at least one post/);
  });
});
