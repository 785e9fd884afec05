import type { estypes } from '@elastic/elasticsearch';

/**
 * Names the engine uses; the app only ever writes and reads through the aliases. A prefix keeps
 * several deployments (or test runs) apart on one cluster.
 */
export function esNames(prefix = '') {
  return {
    postsAlias: `${prefix}social-posts`,
    postsFirstIndex: `${prefix}social-posts-000001`,
    postsPolicy: `${prefix}social-posts-policy`,
    incidentsAlias: `${prefix}incidents`,
    incidentsIndex: `${prefix}incidents-v1`,
    eventsStream: `${prefix}incident-events`,
    spikesAlias: `${prefix}spikes`,
    spikesIndex: `${prefix}spikes-v1`,
    spikesTemplate: `${prefix}spikes`,
    postsTemplate: `${prefix}social-posts`,
    incidentsTemplate: `${prefix}incidents`,
    eventsTemplate: `${prefix}incident-events`,
    component: (name: string) => `${prefix}${name}`,
  };
}

export type EsNames = ReturnType<typeof esNames>;

/** The names of a deployment without a prefix (what the Kibana data views point at). */
export const ES_NAMES = esNames();

/** 2: analysis carried by each mappings component; territories exact with a normalized `.lc`. */
export const TEMPLATE_VERSION = 2;

/**
 * Russian analysis: ё→е before anything, lower case, Russian stop words, Snowball stemmer.
 * Elasticsearch validates each component template on its own, with only that template's settings
 * (MetadataIndexTemplateService.addComponentTemplate → validateTemplate): an analyzer defined in a
 * sibling component does not exist for it, and the put is refused ("analyzer [ru_text] has not been
 * configured in mappings"). So every mappings component carries this block itself.
 */
export const RU_ANALYSIS = {
  char_filter: { yo_fold: { type: 'mapping', mappings: ['ё=>е', 'Ё=>Е'] } },
  filter: {
    ru_stop: { type: 'stop', stopwords: '_russian_' },
    // Runs after lowercase: abbreviations and names that must not be stemmed, in lower case.
    ru_keywords: { type: 'keyword_marker', keywords: ['жкх', 'мфц', 'цур', 'энск'] },
    ru_stem: { type: 'stemmer', language: 'russian' },
  },
  analyzer: {
    ru_text: { type: 'custom', tokenizer: 'standard', char_filter: ['yo_fold'], filter: ['lowercase', 'ru_stop', 'ru_keywords', 'ru_stem'] },
    ru_exact: { type: 'custom', tokenizer: 'standard', char_filter: ['yo_fold'], filter: ['lowercase'] },
  },
  normalizer: { ru_lc: { type: 'custom', char_filter: ['yo_fold'], filter: ['lowercase'] } },
} satisfies estypes.IndicesIndexSettingsAnalysis;

const kw: estypes.MappingProperty = { type: 'keyword', ignore_above: 256 };
/**
 * A place name: exact, as it is shown and aggregated (a keyword with a normalizer would aggregate
 * the lower-cased, ё-folded form: «энск», not «Энск»), with `.lc` for case-insensitive filters.
 */
const placeName: estypes.MappingProperty = { type: 'keyword', ignore_above: 256, fields: { lc: { type: 'keyword', normalizer: 'ru_lc', ignore_above: 256 } } };

/** A mappings component: strict, and carrying the Russian analysis itself (Elasticsearch validates each component alone, see RU_ANALYSIS). */
function mappingsComponent<P extends Record<string, estypes.MappingProperty>>(name: string, properties: P) {
  return { name, template: { settings: { analysis: RU_ANALYSIS }, mappings: { dynamic: 'strict' as const, properties } }, _meta: { version: TEMPLATE_VERSION } } satisfies estypes.ClusterPutComponentTemplateRequest;
}

export const postsMappingsComponent = mappingsComponent('social-posts-mappings', {
  '@timestamp': { type: 'date' },
  event: { properties: { created: { type: 'date' }, ingested: { type: 'date' }, dataset: { type: 'constant_keyword', value: 'social.posts' } } },
  message: { type: 'text', analyzer: 'ru_text', fields: { exact: { type: 'text', analyzer: 'ru_exact' } } },
  url: { properties: { original: kw } },
  user: { properties: { id: kw } },
  otklik: {
    properties: {
      platform: kw,
      source: kw,
      territory: placeName,
      post: { properties: { id: kw, revision: kw, kind: kw, parent_id: kw, edited_at: { type: 'date' }, deleted_at: { type: 'date' } } },
      owner: { properties: { id: kw } },
      language: kw,
      topic: kw,
      subtopic: kw,
      topics: kw,
      sentiment: kw,
      sentiment_score: { type: 'float' },
      type: kw,
      alert: { type: 'boolean' },
      spam: { type: 'boolean' },
      priority: kw,
      incident_id: kw,
      /** Seconds between publication and capture: how far behind the source the engine is. */
      lag_seconds: { type: 'double' },
      metrics: { properties: { likes: { type: 'long' }, reposts: { type: 'long' }, comments: { type: 'long' }, views: { type: 'long' } } },
      // Kept for audit and explanation, not searched.
      explain: { type: 'object', enabled: false },
      raw: { type: 'object', enabled: false },
    },
  },});

const clockProperties: Record<string, estypes.MappingProperty> = {
  id: kw,
  kind: kw,
  scope: kw,
  body_id: kw,
  policy: kw,
  started_at: { type: 'date' },
  due_at: { type: 'date' },
  stopped_at: { type: 'date' },
  breached_at: { type: 'date' },
  outcome: kw,
  wall_minutes: { type: 'double' },
  working_minutes: { type: 'double' },
};

/** An incident's quality counts (incidentQuality): what the body ratings sum. */
const qualityProperties: Record<string, estypes.MappingProperty> = {
  answers: { type: 'integer' },
  formal: { type: 'integer' },
  verdict: kw,
  reopenings: { type: 'integer' },
  returned: { type: 'integer' },
};

/**
 * Fields added to the incidents mapping after its first version, put on the live index at every
 * start: Elasticsearch takes new fields on an existing index (a put-mapping may add, never change;
 * Elasticsearch reference, "Update mapping API": PUT /<target>/_mapping, target an index or alias),
 * so a deployment keeps writing (its `dynamic: strict` index would refuse the documents otherwise)
 * without the reindex a changed field needs.
 */
export function incidentsAddedMappings(n: EsNames): estypes.IndicesPutMappingRequest {
  return { index: n.incidentsAlias, properties: { otklik: { properties: { quality: { properties: qualityProperties } } } } };
}

export const incidentsMappingsComponent = mappingsComponent('incidents-mappings', {
  '@timestamp': { type: 'date' },
  event: { properties: { dataset: { type: 'constant_keyword', value: 'otklik.incidents' } } },
  otklik: {
    properties: {
      incident: {
        properties: {
          id: kw,
          version: { type: 'long' },
          status: kw,
          body_id: kw,
          proposed_body_id: kw,
          topic: kw,
          subtopic: kw,
          territory: placeName,
          priority: kw,
          type: kw,
          sentiment: kw,
          post_ids: kw,
          opened_at: { type: 'date' },
          updated_at: { type: 'date' },
          permalink: kw,
        },
      },
      quality: { properties: qualityProperties },
      clocks: { type: 'nested', properties: clockProperties },
      // The current body first-response clock, flat, for Kibana (Lens cannot aggregate nested fields).
      sla: { properties: { first_response: { properties: clockProperties } } },
      doc: { type: 'object', enabled: false },
    },
  },});

export const eventsMappingsComponent = mappingsComponent('incident-events-mappings', {
  '@timestamp': { type: 'date' },
  event: { properties: { action: kw, dataset: { type: 'constant_keyword', value: 'otklik.incident_events' } } },
  user: { properties: { id: kw, roles: kw } },
  otklik: {
    properties: {
      incident: { properties: { id: kw, version: { type: 'long' } } },
      from_status: kw,
      to_status: kw,
      reason: { type: 'text', analyzer: 'ru_text' },
      details: { type: 'object', enabled: false },
    },
  },});

/** Spikes the watch found: one document per series and hour (`_id` = the spike's key), for search and Kibana. */
export const spikesMappingsComponent = mappingsComponent('spikes-mappings', {
  // The hour judged.
  '@timestamp': { type: 'date' },
  event: { properties: { created: { type: 'date' }, dataset: { type: 'constant_keyword', value: 'otklik.spikes' } } },
  // The top posts' texts: a spike is found by the words of the posts behind it.
  message: { type: 'text', analyzer: 'ru_text' },
  otklik: {
    properties: {
      spike: {
        properties: {
          key: kw,
          kind: kw,
          topic: kw,
          territory: placeName,
          count: { type: 'integer' },
          expected: { type: 'double' },
          range_low: { type: 'integer' },
          range_high: { type: 'integer' },
          p_value: { type: 'double' },
          rising: kw,
          top_post_ids: kw,
        },
      },
      doc: { type: 'object', enabled: false },
    },
  },});

/** Shards and replicas: one shard, and no replica on a single node (yellow otherwise). */
export function settingsComponent(replicas: number): estypes.ClusterPutComponentTemplateRequest {
  return { name: 'otklik-settings', template: { settings: { number_of_shards: 1, number_of_replicas: replicas } }, _meta: { version: TEMPLATE_VERSION } };
}

/** Posts roll over by size and age and are deleted after the retention period. */
export function postsPolicy(names: EsNames, retentionDays: number): estypes.IlmPutLifecycleRequest {
  return {
    name: names.postsPolicy,
    policy: {
      phases: {
        hot: { actions: { rollover: { max_age: '30d', max_primary_shard_size: '50gb' } } },
        delete: { min_age: `${retentionDays}d`, actions: { delete: {} } },
      },
      _meta: { version: TEMPLATE_VERSION },
    },
  };
}

export function indexTemplates(n: EsNames): estypes.IndicesPutIndexTemplateRequest[] {
  const parts = (mappings: string) => [n.component('otklik-settings'), n.component(mappings)];
  return [
    {
      name: n.postsTemplate,
      index_patterns: [`${n.postsAlias}-*`],
      composed_of: parts('social-posts-mappings'),
      priority: 500,
      template: { settings: { 'index.lifecycle.name': n.postsPolicy, 'index.lifecycle.rollover_alias': n.postsAlias } },
      _meta: { version: TEMPLATE_VERSION },
    },
    { name: n.incidentsTemplate, index_patterns: [`${n.incidentsAlias}-v*`], composed_of: parts('incidents-mappings'), priority: 500, _meta: { version: TEMPLATE_VERSION } },
    { name: n.eventsTemplate, index_patterns: [`${n.eventsStream}*`], data_stream: {}, composed_of: parts('incident-events-mappings'), priority: 500, _meta: { version: TEMPLATE_VERSION } },
    { name: n.spikesTemplate, index_patterns: [`${n.spikesAlias}-v*`], composed_of: parts('spikes-mappings'), priority: 500, _meta: { version: TEMPLATE_VERSION } },
  ];
}

export const componentTemplates = (n: EsNames, replicas: number): estypes.ClusterPutComponentTemplateRequest[] =>
  [settingsComponent(replicas), postsMappingsComponent, incidentsMappingsComponent, eventsMappingsComponent, spikesMappingsComponent].map((c) => ({ ...c, name: n.component(c.name) }));
