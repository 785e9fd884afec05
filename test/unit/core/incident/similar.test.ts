import { describe, expect, it } from 'vitest';
import { similarIncidents } from '../../../../src/core/incident/similar.js';
import { alertIncident } from '../../../helpers/incident-env.js';

const contains = (outer: string, inner: string) => inner === outer || inner.startsWith(`${outer}, `);

// Written for this test in the register of residents' complaints.
const target = alertIncident({ id: 'a', topic: 'roads', territory: 'г. Энск, Северный район', text: 'На улице Садовой у дома 12 огромная яма на дороге, машины бьют колёса, сделайте ремонт' });

describe('likely duplicates of an alert', () => {
  it('the same pothole in other words ranks first; another house, topic or town does not pass', () => {
    const same = alertIncident({ id: 'same', topic: 'roads', territory: 'г. Энск, Северный район', text: 'Садовая 12 — яма на дороге уже месяц, колёса пробиваем, когда ремонт?' });
    const otherHouse = alertIncident({ id: 'other-house', topic: 'roads', territory: 'г. Энск', text: 'Яма во дворе дома 40 по Лесной, просим засыпать' });
    const otherTopic = alertIncident({ id: 'lights', topic: 'lighting', territory: 'г. Энск, Северный район', text: 'Не горят фонари на Садовой вечером' });
    const elsewhere = alertIncident({ id: 'far', topic: 'roads', territory: 'г. Заводск', text: 'Разбитая дорога на въезде в город' });
    const found = similarIncidents(target, [otherHouse, otherTopic, elsewhere, same, target], { contains });
    expect(found[0]).toMatchObject({ incident: { id: 'same' }, sameTopic: true, sameTerritory: true, houses: ['12'] });
    expect(found.map((f) => f.incident.id)).not.toContain('lights');
    expect(found.map((f) => f.incident.id)).not.toContain('far');
    expect(found.map((f) => f.incident.id)).not.toContain('a');
  });

  it('a near copy counts even under another topic (the classifier may have filed it elsewhere)', () => {
    const copy = alertIncident({ id: 'copy', topic: 'landscaping', text: 'На улице Садовой у дома 12 огромная яма на дороге! Машины бьют колёса, сделайте ремонт.' });
    expect(similarIncidents(target, [copy], { contains })[0]).toMatchObject({ incident: { id: 'copy' }, sameTopic: false });
  });
});
