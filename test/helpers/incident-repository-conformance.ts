import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/core/incident/incident.js';
import { openingEvent, type AuditEvent } from '../../src/core/incident/lifecycle.js';
import type { IncidentChange, IncidentRepository } from '../../src/ports/incident-repository.js';

/** A fresh incident as the route stage proposes it (status alert, version 1). */
export function alertIncident(id: string, createdAt = '2026-11-21T10:00:00.000Z', extra: Partial<Incident> = {}): Incident {
  return {
    id,
    status: 'alert',
    version: 1,
    postIds: [`vk:-1_${id}`],
    text: 'Яма на дороге',
    topic: 'roads',
    proposedBodyId: 'ensk-roads',
    routeReason: 'topic roads',
    priority: 'normal',
    sentiment: { label: 'negative', score: -0.5 },
    type: 'complaint',
    createdAt,
    updatedAt: createdAt,
    clocks: [],
    answers: [],
    reroutes: [],
    ...extra,
  };
}

const opening = (i: Incident): IncidentChange => ({ incident: i, expectedVersion: 0, events: [openingEvent(i)] });

/** The next version of an incident in another status, with its event. */
function moved(before: Incident, status: Incident['status'], action: AuditEvent['action'] = 'accept'): IncidentChange {
  const incident = { ...before, status, version: before.version + 1, updatedAt: '2026-11-21T11:00:00.000Z' };
  return { incident, expectedVersion: before.version, previousStatus: before.status, events: [{ incidentId: before.id, version: incident.version, at: incident.updatedAt, actor: { id: 'm1', role: 'moderator' }, action, from: before.status, to: status, details: {} }] };
}

/**
 * What every incident repository does (Redis in the engine, memory in fast tests). `make` gives a
 * fresh, empty repository.
 */
export function incidentRepositoryConformance(name: string, make: () => IncidentRepository | Promise<IncidentRepository>): void {
  describe(`incident repository: ${name}`, () => {
    it('opens incidents with their opening events; reads them back by id, status and time', async () => {
      const repo = await make();
      const a = alertIncident('inc_a', '2026-11-21T10:00:00.000Z');
      const b = alertIncident('inc_b', '2026-11-21T10:05:00.000Z');
      await repo.commit([opening(a), opening(b)]);
      expect(await repo.get('inc_a')).toEqual(a);
      expect(await repo.count()).toBe(2);
      expect((await repo.events('inc_b')).map((e) => e.action)).toEqual(['open']);
      expect(await repo.idsByStatus('alert')).toEqual(['inc_a', 'inc_b']);
      expect(await repo.newestByStatus('alert', 1)).toEqual(['inc_b']);
      expect((await repo.latest(5)).map((i) => i.id)).toEqual(['inc_b', 'inc_a']);
      expect((await repo.getMany(['inc_b', 'missing', 'inc_a'])).map((i) => i.id)).toEqual(['inc_b', 'inc_a']);
      expect(await repo.get('missing')).toBeUndefined();
      await expect(repo.require('missing')).rejects.toMatchObject({ code: 'INCIDENT_NOT_FOUND' });
    });

    it('opening one that exists is a conflict naming it, and nothing of the batch is written', async () => {
      const repo = await make();
      await repo.commit([opening(alertIncident('inc_a'))]);
      const err = await repo.commit([opening(alertIncident('inc_c')), opening(alertIncident('inc_a'))]).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'INCIDENT_VERSION_CONFLICT', details: { incidentId: 'inc_a' } });
      expect(await repo.get('inc_c')).toBeUndefined();
      expect(await repo.count()).toBe(1);
    });

    it('a change from the current version applies, moves the status index and appends its event; a stale one is refused', async () => {
      const repo = await make();
      const a = alertIncident('inc_a');
      await repo.commit([opening(a)]);
      const accepted = moved(a, 'routed');
      await repo.commit([accepted]);
      expect(await repo.get('inc_a')).toMatchObject({ status: 'routed', version: 2 });
      expect(await repo.idsByStatus('alert')).toEqual([]);
      expect(await repo.idsByStatus('routed')).toEqual(['inc_a']);
      expect((await repo.events('inc_a')).map((e) => e.action)).toEqual(['open', 'accept']);
      await expect(repo.commit([moved(a, 'rejected', 'reject')])).rejects.toMatchObject({ code: 'INCIDENT_VERSION_CONFLICT', details: { incidentId: 'inc_a' } });
      expect(await repo.get('inc_a')).toMatchObject({ status: 'routed', version: 2 });
    });

    it('several changes commit together or not at all (a merge: source and target)', async () => {
      const repo = await make();
      const a = alertIncident('inc_a');
      const b = alertIncident('inc_b', '2026-11-21T10:01:00.000Z');
      await repo.commit([opening(a), opening(b)]);
      const stale = { ...moved(b, 'routed'), expectedVersion: 7 };
      await expect(repo.commit([moved(a, 'merged', 'merge'), stale])).rejects.toMatchObject({ code: 'INCIDENT_VERSION_CONFLICT', details: { incidentId: 'inc_b' } });
      expect(await repo.get('inc_a')).toMatchObject({ status: 'alert', version: 1 });
      await repo.commit([moved(a, 'merged', 'merge'), moved(b, 'routed', 'absorb')]);
      expect((await repo.getMany(['inc_a', 'inc_b'])).map((i) => i.status)).toEqual(['merged', 'routed']);
    });

    it('pages through a status oldest first; what it returns is a copy', async () => {
      const repo = await make();
      for (let i = 0; i < 5; i++) await repo.commit([opening(alertIncident(`inc_${i}`, `2026-11-21T10:0${i}:00.000Z`))]);
      expect(await repo.idsByStatus('alert', 2, 2)).toEqual(['inc_2', 'inc_3']);
      const got = await repo.require('inc_0');
      got.status = 'closed';
      expect((await repo.require('inc_0')).status).toBe('alert');
    });
  });
}
