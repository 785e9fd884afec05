import { describe, expect, it } from 'vitest';
import { findRepeat } from '../../../../src/core/incident/repeats.js';
import { alertIncident } from '../../../helpers/incident-env.js';

const contains = (outer: string, inner: string) => inner === outer || inner.startsWith(`${outer}, `);
const now = new Date('2026-12-07T10:00:00Z');
// Written for this test.
const closed = alertIncident({ id: 'old', status: 'closed', topic: 'roads', territory: 'г. Энск, Северный район', updatedAt: '2026-11-20T10:00:00.000Z', text: 'Яма на дороге у дома 12 по улице Садовой, колёса бьём' });

describe('repeated problems', () => {
  it('the same pothole at the same house, raised again after it was closed, is a repeat of that incident', () => {
    const again = alertIncident({ id: 'new', topic: 'roads', territory: 'г. Энск, Северный район', text: 'Опять яма у дома 12 на Садовой! Заделали месяц назад, снова дыра' });
    expect(findRepeat(again, [closed], { contains, windowDays: 30, now })).toEqual({ incidentId: 'old', closedAt: '2026-11-20T10:00:00.000Z', score: expect.any(Number) });
  });

  it('not a repeat: closed too long ago, still open, another topic, or another place', () => {
    const again = alertIncident({ id: 'new', topic: 'roads', territory: 'г. Энск, Северный район', text: 'Опять яма у дома 12 на Садовой, колёса бьём' });
    expect(findRepeat(again, [closed], { contains, windowDays: 10, now })).toBeUndefined();
    expect(findRepeat(again, [{ ...closed, status: 'in_progress' }], { contains, windowDays: 30, now })).toBeUndefined();
    expect(findRepeat({ ...again, topic: 'lighting' }, [closed], { contains, windowDays: 30, now })).toBeUndefined();
    const elsewhere = alertIncident({ id: 'far', topic: 'roads', territory: 'г. Заводск', text: 'Яма на дороге у дома 40 на Лесной' });
    expect(findRepeat(elsewhere, [closed], { contains, windowDays: 30, now })).toBeUndefined();
  });
});
