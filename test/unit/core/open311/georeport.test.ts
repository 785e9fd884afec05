import { describe, expect, it } from 'vitest';
import { maskContacts, statusesFor, toRequest, toService } from '../../../../src/core/open311/georeport.js';
import { alertIncident } from '../../../helpers/incident-env.js';

const names = { topicName: (id: string) => ({ 'roads.potholes': 'Ямы', roads: 'Дороги' })[id] ?? id, bodyName: (id: string) => (id === 'city-roads' ? 'Управление дорожного хозяйства' : id) };

describe('Open311 GeoReport v2 (read)', () => {
  it('an accepted incident is a service request with the standard fields; an unreviewed, rejected or merged one is none', () => {
    const routed = alertIncident({ id: 'inc_1', status: 'routed', subtopic: 'roads.potholes', bodyId: 'city-roads', territory: 'г. Энск', postedAt: '2026-11-16T08:00:00.000Z', text: 'Яма у дома 5, звоните 8 (912) 345-67-89 или ivan@example.org' });
    const r = toRequest(routed, names);
    expect(r).toMatchObject({
      service_request_id: 'inc_1', status: 'open', status_notes: 'направлено исполнителю', service_code: 'roads.potholes', service_name: 'Ямы',
      agency_responsible: 'Управление дорожного хозяйства', requested_datetime: '2026-11-16T08:00:00.000Z', address: 'г. Энск', lat: null, long: null,
    });
    // No way to reach the author leaves the engine.
    expect(r?.description).toBe('Яма у дома 5, звоните [скрыто] или [скрыто]');
    for (const status of ['alert', 'rejected', 'merged'] as const) expect(toRequest(alertIncident({ status }), names)).toBeUndefined();
    expect(toRequest(alertIncident({ status: 'answered_final', answers: [{ kind: 'final', text: 'Яма заделана 20.11', publishedAt: 'x', by: 'y' }] }), names)).toMatchObject({ status: 'closed', service_notice: 'Яма заделана 20.11' });
  });

  it('maps the standard statuses to the engine\'s, and topics to services with their group', () => {
    expect(statusesFor('open')).toEqual(['routed', 'in_progress', 'answered_interim', 'paused', 'on_review']);
    expect(statusesFor('closed')).toEqual(['answered_final', 'closed']);
    expect(toService({ id: 'roads.potholes', name: 'Ямы' }, () => 'Дороги')).toEqual({ service_code: 'roads.potholes', service_name: 'Ямы', description: 'Ямы', metadata: false, type: 'realtime', keywords: '', group: 'Дороги' });
    expect(maskContacts('+7 912 345 67 89, тел. 89123456789')).toBe('[скрыто], тел. [скрыто]');
  });
});
