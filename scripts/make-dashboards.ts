/**
 * Writes the Kibana saved objects in dashboards/ (one NDJSON bundle per dashboard, each carrying
 * the data views it needs). Kibana 8.x format (Lens `formBased` datasource), with migration versions
 * set so Kibana runs only the migrations after them. Run: npx tsx scripts/make-dashboards.ts
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CORE = '8.8.0';
type Obj = Record<string, unknown>;

const dataViews: Record<string, Obj> = {
  'otklik-posts': dataView('otklik-posts', 'social-posts*', 'Отклик: публикации'),
  'otklik-incidents': dataView('otklik-incidents', 'incidents*', 'Отклик: инциденты'),
  // No time field: a dashboard's time range filters a data view on its time field (here the opening
  // time), and an incident opened 40 days ago that is overdue now must still count.
  'otklik-incidents-now': dataView('otklik-incidents-now', 'incidents*', 'Отклик: инциденты (все, без периода)', false),
  'otklik-incident-events': dataView('otklik-incident-events', 'incident-events*', 'Отклик: журнал инцидентов'),
  // Spikes the watch found; the time field is the hour judged.
  'otklik-spikes': dataView('otklik-spikes', 'spikes*', 'Отклик: всплески'),
};

function dataView(id: string, title: string, name: string, timed = true): Obj {
  return {
    type: 'index-pattern',
    id,
    attributes: { title, name, ...(timed ? { timeFieldName: '@timestamp' } : {}), fieldFormatMap: '{}', runtimeFieldMap: '{}', allowNoIndex: true },
    references: [],
    coreMigrationVersion: CORE,
    typeMigrationVersion: '8.0.0',
    managed: false,
  };
}

const count = (label = 'Количество', filter?: string): Obj => ({
  label,
  dataType: 'number',
  operationType: 'count',
  isBucketed: false,
  scale: 'ratio',
  sourceField: '___records___',
  params: { emptyAsNull: true },
  ...(filter ? { filter: { query: filter, language: 'kuery' }, customLabel: true } : { customLabel: true }),
});
const dateHistogram = (): Obj => ({
  label: '@timestamp',
  dataType: 'date',
  operationType: 'date_histogram',
  sourceField: '@timestamp',
  isBucketed: true,
  scale: 'interval',
  params: { interval: 'auto', includeEmptyRows: true, dropPartials: false },
});
const terms = (field: string, label: string, orderBy: string, size = 10): Obj => ({
  label,
  customLabel: true,
  dataType: 'string',
  operationType: 'terms',
  scale: 'ordinal',
  sourceField: field,
  isBucketed: true,
  params: { size, orderBy: { type: 'column', columnId: orderBy }, orderDirection: 'desc', otherBucket: true, missingBucket: false, parentFormat: { id: 'terms' } },
});
// Lens metric operations by their ids (Kibana's x-pack lens operations: median, percentile, max), each with emptyAsNull.
const stat = (op: 'median' | 'percentile' | 'max', field: string, label: string, percentile?: number): Obj => ({
  label,
  customLabel: true,
  dataType: 'number',
  operationType: op,
  sourceField: field,
  isBucketed: false,
  scale: 'ratio',
  params: { ...(percentile ? { percentile } : {}), emptyAsNull: true },
});

/**
 * Buckets nest in `columnOrder` (Lens builds its aggregation tree in that order): a breakdown by
 * terms goes before the date histogram, as Lens itself places it, so the top N are the top N of the
 * whole period — nested the other way round each time bucket picks its own top N and the series
 * jump between buckets.
 */
function columnOrder(columns: Record<string, Obj>): string[] {
  const ids = Object.keys(columns);
  const rank = (id: string) => {
    const c = columns[id] as { isBucketed?: boolean; operationType?: string };
    return !c.isBucketed ? 2 : c.operationType === 'date_histogram' ? 1 : 0;
  };
  return [...ids].sort((a, b) => rank(a) - rank(b) || ids.indexOf(a) - ids.indexOf(b));
}

function lens(id: string, title: string, dataViewId: string, visualizationType: string, columns: Record<string, Obj>, visualization: Obj, query = ''): Obj {
  return {
    type: 'lens',
    id,
    attributes: {
      title,
      description: '',
      visualizationType,
      state: {
        datasourceStates: { formBased: { layers: { layer1: { columns, columnOrder: columnOrder(columns), incompleteColumns: {} } } } },
        visualization,
        query: { query, language: 'kuery' },
        filters: [],
        adHocDataViews: {},
        internalReferences: [],
      },
    },
    references: [{ type: 'index-pattern', id: dataViewId, name: 'indexpattern-datasource-layer-layer1' }],
    coreMigrationVersion: CORE,
    typeMigrationVersion: '8.9.0',
    managed: false,
  };
}

const xy = (x: string, acc: string, split?: string, seriesType = 'bar_stacked'): Obj => ({
  legend: { isVisible: true, position: 'right' },
  valueLabels: 'hide',
  preferredSeriesType: seriesType,
  layers: [{ layerId: 'layer1', accessors: [acc], position: 'top', seriesType, showGridlines: false, layerType: 'data', xAccessor: x, ...(split ? { splitAccessor: split } : {}) }],
});
const pie = (group: string, metric: string): Obj => ({
  shape: 'donut',
  layers: [{ layerId: 'layer1', primaryGroups: [group], metrics: [metric], numberDisplay: 'percent', categoryDisplay: 'default', legendDisplay: 'default', nestedLegend: false, layerType: 'data' }],
});
const table = (cols: string[]): Obj => ({ layerId: 'layer1', layerType: 'data', columns: cols.map((columnId) => ({ columnId })) });
const metric = (col: string): Obj => ({ layerId: 'layer1', layerType: 'data', metricAccessor: col });

function dashboard(id: string, title: string, description: string, panels: { lens: Obj; w: number; h: number }[]): Obj {
  let x = 0;
  let y = 0;
  const json = panels.map((p, i) => {
    if (x + p.w > 48) {
      x = 0;
      y += 15;
    }
    const panel = { type: 'lens', panelIndex: `p${i + 1}`, gridData: { x, y, w: p.w, h: p.h, i: `p${i + 1}` }, embeddableConfig: { enhancements: {} }, panelRefName: `panel_p${i + 1}` };
    x += p.w;
    return panel;
  });
  return {
    type: 'dashboard',
    id,
    attributes: {
      title,
      description,
      panelsJSON: JSON.stringify(json),
      optionsJSON: JSON.stringify({ useMargins: true, syncColors: false, syncCursor: true, syncTooltips: false, hidePanelTitles: false }),
      timeRestore: true,
      timeFrom: 'now-30d',
      timeTo: 'now',
      refreshInterval: { pause: false, value: 60_000 },
      kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify({ query: { query: '', language: 'kuery' }, filter: [] }) },
    },
    references: panels.map((p, i) => ({ type: 'lens', id: p.lens.id, name: `p${i + 1}:panel_p${i + 1}` })),
    coreMigrationVersion: CORE,
    typeMigrationVersion: '8.9.0',
    managed: false,
  };
}

const P = 'otklik-posts';
const I = 'otklik-incidents';
const S = 'otklik-spikes';

const topicOverTime = lens('otklik-topic-volume', 'Публикации по темам во времени', P, 'lnsXY', { col1: dateHistogram(), col2: terms('otklik.topic', 'Тема', 'col3'), col3: count() }, xy('col1', 'col3', 'col2'));
const topicShare = lens('otklik-topic-share', 'Доля тем', P, 'lnsPie', { col1: terms('otklik.topic', 'Тема', 'col2', 15), col2: count() }, pie('col1', 'col2'));
const byTerritory = lens('otklik-territory', 'Публикации по территориям', P, 'lnsXY', { col1: terms('otklik.territory', 'Территория', 'col2', 20), col2: count() }, xy('col1', 'col2', undefined, 'bar_horizontal'));
const sentiment = lens('otklik-sentiment', 'Тональность во времени', P, 'lnsXY', { col1: dateHistogram(), col2: terms('otklik.sentiment', 'Тональность', 'col3', 3), col3: count() }, xy('col1', 'col3', 'col2', 'area_stacked'));
const alerts = lens('otklik-alerts', 'Сигналы (требуют реакции)', P, 'lnsMetric', { col1: count('Сигналы', 'otklik.alert : true') }, metric('col1'));

const spikesOverTime = lens('otklik-spikes-over-time', 'Всплески по темам во времени', S, 'lnsXY', { col1: dateHistogram(), col2: terms('otklik.spike.topic', 'Тема', 'col3'), col3: count('Всплесков') }, xy('col1', 'col3', 'col2'), 'otklik.spike.kind : "posts"');
const spikesTable = lens(
  'otklik-spikes-table',
  'Где и о чём были всплески',
  S,
  'lnsDatatable',
  {
    col1: terms('otklik.spike.territory', 'Территория', 'col3', 20),
    col2: terms('otklik.spike.topic', 'Тема', 'col3', 5),
    col3: count('Всплесков'),
    col4: stat('max', 'otklik.spike.count', 'Больше всего за час'),
    col5: stat('median', 'otklik.spike.expected', 'Обычно за час (медиана)'),
  },
  table(['col1', 'col2', 'col3', 'col4', 'col5']),
  'otklik.spike.kind : "posts"',
);

const ended = 'otklik.sla.first_response.outcome : ("met" or "late")';
const slaTable = lens(
  'otklik-sla-bodies',
  'Соблюдение срока первого ответа по органам',
  I,
  'lnsDatatable',
  {
    col1: terms('otklik.sla.first_response.body_id', 'Орган', 'col2', 50),
    col2: count('Измерено', ended),
    col3: count('В срок', 'otklik.sla.first_response.outcome : "met"'),
    col4: count('С нарушением', 'otklik.sla.first_response.outcome : "late"'),
    col5: stat('median', 'otklik.sla.first_response.working_minutes', 'Медиана, рабочих минут'),
    col6: stat('percentile', 'otklik.sla.first_response.working_minutes', 'P90, рабочих минут', 90),
    col7: stat('median', 'otklik.sla.first_response.wall_minutes', 'Медиана, минут'),
  },
  table(['col1', 'col2', 'col3', 'col4', 'col5', 'col6', 'col7']),
);
const slaOutcome = lens('otklik-sla-outcome', 'В срок и с нарушением', I, 'lnsXY', { col1: terms('otklik.sla.first_response.body_id', 'Орган', 'col3', 20), col2: terms('otklik.sla.first_response.outcome', 'Итог', 'col3', 3), col3: count() }, xy('col1', 'col3', 'col2'), ended);
const overdue = lens('otklik-sla-overdue', 'Просрочено сейчас', 'otklik-incidents-now', 'lnsMetric', { col1: count('Просрочено') }, metric('col1'), 'otklik.sla.first_response.due_at < now and not otklik.sla.first_response.stopped_at : *');
const responseTime = lens('otklik-sla-response-time', 'Время первого ответа (медиана, рабочие минуты)', I, 'lnsXY', { col1: dateHistogram(), col2: stat('median', 'otklik.sla.first_response.working_minutes', 'Медиана, рабочих минут') }, xy('col1', 'col2', undefined, 'line'));

const sourceVolume = lens('otklik-source-volume', 'Публикации по источникам', P, 'lnsXY', { col1: dateHistogram(), col2: terms('otklik.source', 'Источник', 'col3', 20), col3: count() }, xy('col1', 'col3', 'col2'));
const sourceLag = lens('otklik-source-lag', 'Отставание сбора по источникам (медиана, секунд)', P, 'lnsXY', { col1: terms('otklik.source', 'Источник', 'col2', 20), col2: stat('median', 'otklik.lag_seconds', 'Медиана отставания, с') }, xy('col1', 'col2', undefined, 'bar_horizontal'));
const sourceTable = lens(
  'otklik-source-table',
  'Источники',
  P,
  'lnsDatatable',
  { col1: terms('otklik.source', 'Источник', 'col2', 50), col2: count(), col3: stat('median', 'otklik.lag_seconds', 'Медиана отставания, с'), col4: stat('percentile', 'otklik.lag_seconds', 'P95 отставания, с', 95) },
  table(['col1', 'col2', 'col3', 'col4']),
);

const bundles: Record<string, { dataViews: string[]; lenses: Obj[]; dashboard: Obj }> = {
  'topic-trends': {
    dataViews: [P, S],
    lenses: [topicOverTime, topicShare, byTerritory, sentiment, alerts, spikesOverTime, spikesTable],
    dashboard: dashboard('otklik-topic-trends', 'Отклик: темы и тренды', 'Объём публикаций по темам, доли, территории, тональность; всплески по темам и территориям', [
      { lens: alerts, w: 12, h: 8 },
      { lens: topicOverTime, w: 36, h: 15 },
      { lens: topicShare, w: 16, h: 15 },
      { lens: byTerritory, w: 16, h: 15 },
      { lens: sentiment, w: 16, h: 15 },
      { lens: spikesOverTime, w: 24, h: 15 },
      { lens: spikesTable, w: 24, h: 15 },
    ]),
  },
  sla: {
    dataViews: [I, 'otklik-incidents-now'],
    lenses: [overdue, slaTable, slaOutcome, responseTime],
    dashboard: dashboard('otklik-sla', 'Отклик: сроки ответа (SLA)', 'Соблюдение срока первого ответа и время ответа по органам; просроченные сейчас', [
      { lens: overdue, w: 12, h: 8 },
      { lens: responseTime, w: 36, h: 15 },
      { lens: slaTable, w: 48, h: 15 },
      { lens: slaOutcome, w: 48, h: 15 },
    ]),
  },
  sources: {
    dataViews: [P],
    lenses: [sourceVolume, sourceLag, sourceTable],
    dashboard: dashboard('otklik-sources', 'Отклик: источники', 'Объём и отставание сбора по источникам', [
      { lens: sourceVolume, w: 48, h: 15 },
      { lens: sourceLag, w: 24, h: 15 },
      { lens: sourceTable, w: 24, h: 15 },
    ]),
  },
};

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'dashboards');
for (const [name, b] of Object.entries(bundles)) {
  const objects = [...b.dataViews.map((id) => dataViews[id] as Obj), ...b.lenses, b.dashboard];
  const lines = [...objects.map((o) => JSON.stringify(o)), JSON.stringify({ excludedObjects: [], excludedObjectsCount: 0, exportedCount: objects.length, missingRefCount: 0, missingReferences: [] })];
  writeFileSync(join(out, `${name}.ndjson`), lines.join('\n') + '\n');
  process.stdout.write(`dashboards/${name}.ndjson: ${objects.length} objects\n`);
}
