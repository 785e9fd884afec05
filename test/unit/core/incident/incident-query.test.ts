import { describe, expect, it } from 'vitest';
import { compareIncidents, incidentQuerySchema, isAtRisk, matchesIncident, statusesOf } from '../../../../src/core/incident/incident-query.js';
import type { SlaClock } from '../../../../src/core/incident/incident.js';
import { alertIncident } from '../../../helpers/incident-env.js';

const q = (raw: Record<string, string>) => incidentQuerySchema.parse(raw);
const within = (outer: string, inner: string) => inner.startsWith(outer);
const clock = (over: Partial<SlaClock>): SlaClock => ({ id: 'c', kind: 'first_response', scope: 'body', bodyId: 'city-roads', policy: 'working-time:480', startedAt: 't', pauses: [], provisional: false, warnAt: [0.5], warningsFired: [], ...over });

describe('incident lists', () => {
  it('statuses: alerts and open ones by default, `open` expands', () => {
    expect(statusesOf(q({}))).toEqual(['alert', 'routed', 'in_progress', 'answered_interim', 'paused', 'on_review']);
    expect(statusesOf(q({ status: 'open,closed' }))).toEqual(['routed', 'in_progress', 'answered_interim', 'paused', 'on_review', 'closed']);
    expect(incidentQuerySchema.safeParse({ status: 'open', colour: 'red' }).success).toBe(false);
  });

  it('filters by topic or subtopic, territory within, platform, words, and risk', () => {
    const i = alertIncident({ subtopic: 'roads.potholes', territory: 'г. Энск, Заречный район', text: 'Огромная яма на ул. Лесной, ещё одна ЯМА рядом', postIds: ['ok:1'] });
    expect(matchesIncident(i, q({ topic: 'roads.potholes' }), within)).toBe(true);
    expect(matchesIncident(i, q({ topic: 'snow' }), within)).toBe(false);
    expect(matchesIncident(i, q({ territory: 'г. Энск' }), within)).toBe(true);
    expect(matchesIncident(i, q({ territory: 'г. Заводск' }), within)).toBe(false);
    expect(matchesIncident(i, q({ platform: 'ok' }), within)).toBe(true);
    expect(matchesIncident(i, q({ platform: 'vk' }), within)).toBe(false);
    expect(matchesIncident(i, q({ q: 'яма лесной' }), within)).toBe(true);
    expect(matchesIncident(i, q({ q: 'яма снег' }), within)).toBe(false);
    expect(matchesIncident(i, q({ atRisk: 'true' }), within)).toBe(false);
    // «New since I looked» counts incidents opened after a moment, not ones merely changed.
    expect(matchesIncident({ ...i, createdAt: '2026-01-01T10:00:00.000Z', updatedAt: '2026-01-02T10:00:00.000Z' }, q({ after: '2026-01-01T12:00:00+03:00' }), within)).toBe(true);
    expect(matchesIncident({ ...i, createdAt: '2026-01-01T08:00:00.000Z', updatedAt: '2026-01-02T10:00:00.000Z' }, q({ after: '2026-01-01T12:00:00+03:00' }), within)).toBe(false);
    const warned = alertIncident({ clocks: [clock({ dueAt: '2026-01-01T00:00:00Z', warningsFired: [0.5] })] });
    expect(isAtRisk(warned)).toBe(true);
    expect(matchesIncident(warned, q({ atRisk: 'true' }), within)).toBe(true);
  });

  it('sorts by deadline, breached first, no deadline last', () => {
    const a = alertIncident({ id: 'a', clocks: [clock({ dueAt: '2026-01-02T00:00:00Z' })] });
    const b = alertIncident({ id: 'b', clocks: [clock({ dueAt: '2026-01-01T00:00:00Z' })] });
    const c = alertIncident({ id: 'c' });
    const stopped = alertIncident({ id: 'd', clocks: [clock({ dueAt: '2025-01-01T00:00:00Z', stoppedAt: 'x' })] });
    expect([a, c, stopped, b].sort(compareIncidents('due')).map((i) => i.id).slice(0, 2)).toEqual(['b', 'a']);
  });

  it('sorts a queue by waiting time, by priority (then waiting), and by when the post was written', () => {
    const old = alertIncident({ id: 'old', createdAt: '2026-01-01T08:00:00Z', postedAt: '2025-12-31T08:00:00Z' });
    const urgent = alertIncident({ id: 'urgent', createdAt: '2026-01-01T10:00:00Z', postedAt: '2025-12-01T08:00:00Z', priority: 'high' });
    const fresh = alertIncident({ id: 'fresh', createdAt: '2026-01-01T09:00:00Z', postedAt: '2026-01-01T08:59:00Z' });
    const ids = (sort: string) => [fresh, urgent, old].sort(compareIncidents(q({ sort }).sort)).map((i) => i.id);
    expect(ids('oldest')).toEqual(['old', 'fresh', 'urgent']);
    expect(ids('priority')).toEqual(['urgent', 'old', 'fresh']);
    expect(ids('posted')).toEqual(['fresh', 'old', 'urgent']);
    expect(ids('newest')).toEqual(['urgent', 'fresh', 'old']);
  });
});
