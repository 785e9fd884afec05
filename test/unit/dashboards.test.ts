import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { estypes } from '@elastic/elasticsearch';
import { projectRoot } from '../../src/paths.js';
import { eventsMappingsComponent, incidentsMappingsComponent, postsMappingsComponent, spikesMappingsComponent, esNames } from '../../src/adapters/search/elasticsearch/templates.js';

type Obj = { type?: string; id?: string; attributes?: Record<string, unknown>; references?: { type: string; id: string; name: string }[]; exportedCount?: number; missingRefCount?: number };

const dir = join(projectRoot, 'dashboards');
const files = readdirSync(dir).filter((f) => f.endsWith('.ndjson'));

/** Field paths a mapping defines (leaves and sub-fields). */
function fields(props: Record<string, estypes.MappingProperty>, prefix = ''): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(props)) {
    const p = v as { properties?: Record<string, estypes.MappingProperty>; fields?: Record<string, unknown> };
    const path = prefix ? `${prefix}.${k}` : k;
    if (p.properties) for (const f of fields(p.properties, path)) out.add(f);
    else out.add(path);
    for (const sub of Object.keys(p.fields ?? {})) out.add(`${path}.${sub}`);
  }
  return out;
}

const names = esNames();
const mappingFor: Record<string, Set<string>> = {
  [`${names.postsAlias}*`]: fields(postsMappingsComponent.template.mappings.properties),
  [`${names.incidentsAlias}*`]: fields(incidentsMappingsComponent.template.mappings.properties),
  [`${names.eventsStream}*`]: fields(eventsMappingsComponent.template.mappings.properties),
  [`${names.spikesAlias}*`]: fields(spikesMappingsComponent.template.mappings.properties),
};

describe('Kibana saved objects in dashboards/', () => {
  it('there are the three dashboards', () => {
    expect(files.sort()).toEqual(['sla.ndjson', 'sources.ndjson', 'topic-trends.ndjson']);
  });

  for (const file of files) {
    describe(file, () => {
      const lines = readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
      const objects = lines.map((l) => JSON.parse(l) as Obj);
      const summary = objects.at(-1) as Obj;
      const saved = objects.slice(0, -1);
      const byKey = new Map(saved.map((o) => [`${o.type}:${o.id}`, o]));

      it('every line parses; the export summary counts the objects and has no missing references', () => {
        expect(summary).toMatchObject({ exportedCount: saved.length, missingRefCount: 0 });
        for (const o of saved) {
          expect(o.type).toMatch(/^(index-pattern|lens|dashboard)$/);
          expect(o).toHaveProperty('coreMigrationVersion');
          expect(o).toHaveProperty('typeMigrationVersion');
        }
      });

      it('every reference resolves inside the bundle', () => {
        for (const o of saved) for (const r of o.references ?? []) expect(byKey.has(`${r.type}:${r.id}`), `${o.id} → ${r.type}:${r.id}`).toBe(true);
      });

      it('data views name our index patterns, and every field a visualisation uses is mapped', () => {
        const views = new Map(saved.filter((o) => o.type === 'index-pattern').map((o) => [o.id, String(o.attributes?.title)]));
        for (const title of views.values()) expect(Object.keys(mappingFor)).toContain(title);
        for (const lens of saved.filter((o) => o.type === 'lens')) {
          const viewId = lens.references?.find((r) => r.type === 'index-pattern')?.id ?? '';
          const known = mappingFor[views.get(viewId) ?? ''] ?? new Set<string>();
          const state = lens.attributes?.state as { datasourceStates: { formBased: { layers: Record<string, { columns: Record<string, { sourceField?: string }> }> } } };
          for (const layer of Object.values(state.datasourceStates.formBased.layers)) {
            for (const col of Object.values(layer.columns)) {
              if (col.sourceField && col.sourceField !== '___records___') expect(known.has(col.sourceField), `${lens.id}: ${col.sourceField}`).toBe(true);
            }
          }
        }
      });

      it('a breakdown by terms is bucketed before the date histogram, as Lens places it (top N of the whole period)', () => {
        for (const lens of saved.filter((o) => o.type === 'lens')) {
          const state = lens.attributes?.state as { datasourceStates: { formBased: { layers: Record<string, { columns: Record<string, { operationType: string; isBucketed: boolean }>; columnOrder: string[] }> } } };
          for (const layer of Object.values(state.datasourceStates.formBased.layers)) {
            const ops = layer.columnOrder.map((id) => layer.columns[id]);
            const date = ops.findIndex((c) => c?.operationType === 'date_histogram');
            const terms = ops.findIndex((c) => c?.operationType === 'terms');
            if (date >= 0 && terms >= 0) expect(terms, `${lens.id}: ${layer.columnOrder.join(',')}`).toBeLessThan(date);
            // Metrics after every bucket.
            const firstMetric = ops.findIndex((c) => c?.isBucketed === false);
            expect(ops.slice(firstMetric).every((c) => c?.isBucketed === false), String(lens.id)).toBe(true);
          }
        }
      });

      it('"overdue now" counts every open incident whatever the dashboard period: its data view has no time field', () => {
        const overdue = saved.find((o) => o.id === 'otklik-sla-overdue');
        if (!overdue) return;
        const view = saved.find((o) => o.type === 'index-pattern' && o.id === overdue.references?.[0]?.id);
        expect(view?.attributes?.title).toBe('incidents*');
        expect(view?.attributes).not.toHaveProperty('timeFieldName');
      });

      it('the dashboard panels point at lens objects of the bundle', () => {
        const dash = saved.find((o) => o.type === 'dashboard');
        const panels = JSON.parse(String(dash?.attributes?.panelsJSON)) as { panelRefName: string }[];
        expect(panels.length).toBeGreaterThan(0);
        for (const p of panels) expect(dash?.references?.some((r) => r.name === `${p.panelRefName.replace('panel_', '')}:${p.panelRefName}` && r.type === 'lens')).toBe(true);
      });
    });
  }
});
