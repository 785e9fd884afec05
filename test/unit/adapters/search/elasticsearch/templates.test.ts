import { describe, expect, it } from 'vitest';
import type { estypes } from '@elastic/elasticsearch';
import { componentTemplates, esNames, eventsMappingsComponent, incidentsMappingsComponent, indexTemplates, postsMappingsComponent, RU_ANALYSIS, spikesMappingsComponent } from '../../../../../src/adapters/search/elasticsearch/templates.js';
import { componentTemplateProblems, indexTemplateProblems } from '../../../../helpers/es-template-rules.js';
import { toEventDoc, toIncidentDoc, toPostDoc, toSpikeDoc } from '../../../../../src/adapters/search/elasticsearch/documents.js';
import { doc, incident } from '../../../../helpers/search-conformance.js';
import type { Incident } from '../../../../../src/core/incident/incident.js';

type Props = Record<string, estypes.MappingProperty>;

/** Every leaf path a document has, stopping at objects the mapping stores without indexing. */
function paths(value: unknown, props: Props, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const p = props[k] as unknown as { properties?: Props; enabled?: boolean; type?: string } | undefined;
    const path = prefix ? `${prefix}.${k}` : k;
    if (!p) {
      out.push(`MISSING ${path}`);
      continue;
    }
    if (p.enabled === false) continue;
    if (Array.isArray(v) && p.type === 'nested') for (const item of v) out.push(...paths(item, p.properties ?? {}, path));
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(...paths(v, p.properties ?? {}, path));
    else out.push(path);
  }
  return out;
}

const mappingOf = (c: { template: { mappings?: estypes.MappingTypeMapping } }) => c.template.mappings as estypes.MappingTypeMapping & { properties: Props };

describe('Elasticsearch templates', () => {
  it('every field the document mappers emit is mapped (dynamic: strict would refuse the rest)', () => {
    const inc: Incident = {
      ...incident('inc_a', 3, 'answered_final', 'roads', [
        { id: 'first_response.body.1', kind: 'first_response', scope: 'body', bodyId: 'roads', policy: 'working-time:480', startedAt: '2026-11-16T08:00:00Z', pauses: [], dueAt: '2026-11-17T08:00:00Z', provisional: false, warnAt: [0.5], warningsFired: [0.5], breachedAt: '2026-11-17T08:00:00Z', stoppedAt: '2026-11-17T09:00:00Z', outcome: 'late', elapsed: { wallMinutes: 1500, workingMinutes: 540 } },
      ]),
      territory: 'Энск',
      permalink: 'https://vk.com/wall-1_1',
      answers: [{ kind: 'final', text: 'Обращение принято', publishedAt: '2026-11-17T09:00:00Z', by: 'u' }],
      reactions: [{ postId: 'vk:-1_2', at: '2026-11-17T10:00:00Z', verdict: 'unsatisfied', cues: ['так и не'], byAuthor: true }],
      reopenings: 1,
    };
    const spike = toSpikeDoc({ key: 'posts|roads|Энск|2026-11-16T08:00:00.000Z', kind: 'posts', topic: 'roads', territory: 'Энск', hour: '2026-11-16T08:00:00.000Z', count: 9, expected: 0.5, range: [0, 2], pValue: 1e-6, rising: ['яма'], top: [{ id: 'vk:-1_1', text: 'Яма' }], detectedAt: '2026-11-16T09:05:00.000Z' });
    const post = doc({ id: 'vk:-1_1', text: 'Яма', at: '2026-11-16T08:00:00Z', territory: 'Энск', incidentId: 'inc_a' });
    post.post.parentId = 'vk:-1_0';
    post.post.engagement = { likes: 1, reposts: 2, comments: 3, views: 4 };
    post.post.raw = { id: 1 };
    const event = toEventDoc({ incidentId: 'inc_a', version: 3, at: '2026-11-16T08:00:00Z', actor: { id: 'mod', role: 'moderator' }, action: 'reject', from: 'alert', to: 'rejected', reason: 'спам', details: { x: 1 } });
    for (const [d, c] of [
      [toPostDoc(post), postsMappingsComponent],
      [toIncidentDoc(inc), incidentsMappingsComponent],
      [event, eventsMappingsComponent],
      [spike, spikesMappingsComponent],
    ] as const) {
      const m = mappingOf(c);
      expect(m.dynamic).toBe('strict');
      expect(paths(d, m.properties).filter((p) => p.startsWith('MISSING'))).toEqual([]);
    }
  });

  it("each component template validates on its own, as Elasticsearch checks it when it is stored", () => {
    const components = componentTemplates(esNames(), 0);
    expect(components.flatMap(componentTemplateProblems)).toEqual([]);
    // The split a real cluster refused: analysis in one component, the mappings that use it in another.
    const mappingsOnly = { ...postsMappingsComponent, template: { mappings: postsMappingsComponent.template.mappings } };
    expect(componentTemplateProblems(mappingsOnly)).toEqual(expect.arrayContaining([expect.stringMatching(/message: analyzer \[ru_text\] has not been configured in mappings/), expect.stringMatching(/normalizer \[ru_lc\] not found/)]));
    expect(componentTemplateProblems({ name: 'analysis-only', template: { settings: { analysis: RU_ANALYSIS } } })).toEqual([]);
  });

  it('each index template validates as composed: its components exist and their settings cover every mapping', () => {
    const n = esNames('t2-');
    const components = componentTemplates(n, 1);
    expect(indexTemplates(n).flatMap((t) => indexTemplateProblems(t, components))).toEqual([]);
    expect(indexTemplateProblems({ name: 'x', index_patterns: ['x-*'], composed_of: ['t2-nowhere'] }, components)).toEqual(['index template [x]: missing component template [t2-nowhere]']);
  });

  it('place names are exact keywords (shown and aggregated as written) with a case-insensitive .lc', () => {
    const territory = (mappingOf(postsMappingsComponent).properties.otklik as { properties: Props }).properties.territory as { type: string; normalizer?: string; fields: { lc: { normalizer: string } } };
    expect(territory.normalizer).toBeUndefined();
    expect(territory.fields.lc.normalizer).toBe('ru_lc');
    const incidentTerritory = JSON.stringify(mappingOf(incidentsMappingsComponent).properties);
    expect(incidentTerritory).toContain('"territory":{"type":"keyword","ignore_above":256,"fields":{"lc"');
  });

  it('index templates compose existing component templates, with high priority and no "@" in names', () => {
    const n = esNames('t1-');
    const components = new Set(componentTemplates(n, 0).map((c) => c.name));
    for (const t of indexTemplates(n)) {
      for (const c of t.composed_of ?? []) expect(components).toContain(c);
      expect(t.priority).toBeGreaterThanOrEqual(500);
      expect(t.name).not.toContain('@');
      for (const p of t.index_patterns as string[]) expect(p.startsWith('t1-')).toBe(true);
    }
  });
});
