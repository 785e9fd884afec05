import type { estypes } from '@elastic/elasticsearch';

/**
 * The rule Elasticsearch applies when a component template is stored, written from its source:
 * MetadataIndexTemplateService.addComponentTemplate calls validateTemplate(finalSettings, mappings,
 * indicesService) with only that component's settings, which builds a throw-away index and parses
 * the mappings against its analysis registry — the built-in analysis components plus what the
 * component's own `settings.analysis` defines. A name defined anywhere else does not exist there:
 * "analyzer [ru_text] has not been configured in mappings" (MappingParser / TextFieldMapper).
 * The same holds for an index template's composite (resolveSettings merges its components'
 * settings in order, then validateCompositeTemplate parses every component's mappings against them).
 *
 * Built-in names: the analyzers, tokenizers, token filters and character filters Elasticsearch 8
 * registers without configuration (reference: "Built-in analyzer reference", "Language analyzers",
 * "Tokenizer reference", "Token filter reference", "Character filters reference"; CommonAnalysisPlugin).
 */
const BUILT_IN = {
  analyzer: new Set([
    'standard', 'simple', 'whitespace', 'stop', 'keyword', 'pattern', 'fingerprint', 'snowball',
    'arabic', 'armenian', 'basque', 'bengali', 'brazilian', 'bulgarian', 'catalan', 'cjk', 'czech', 'danish', 'dutch', 'english', 'estonian', 'finnish', 'french', 'galician', 'german', 'greek', 'hindi', 'hungarian', 'indonesian', 'irish', 'italian', 'latvian', 'lithuanian', 'norwegian', 'persian', 'portuguese', 'romanian', 'russian', 'serbian', 'sorani', 'spanish', 'swedish', 'turkish', 'thai',
  ]),
  normalizer: new Set(['lowercase']),
  tokenizer: new Set(['standard', 'letter', 'lowercase', 'whitespace', 'uax_url_email', 'classic', 'thai', 'ngram', 'edge_ngram', 'keyword', 'pattern', 'simple_pattern', 'char_group', 'simple_pattern_split', 'path_hierarchy']),
  filter: new Set(['lowercase', 'uppercase', 'asciifolding', 'trim', 'stop', 'porter_stem', 'kstem', 'reverse', 'unique', 'word_delimiter', 'word_delimiter_graph', 'classic', 'apostrophe', 'decimal_digit', 'elision', 'cjk_bigram', 'cjk_width', 'german_normalization', 'russian_stem', 'snowball', 'shingle', 'ngram', 'edge_ngram', 'truncate', 'limit', 'length', 'delimited_payload', 'keyword_repeat', 'remove_duplicates', 'flatten_graph', 'stemmer']),
  char_filter: new Set(['html_strip']),
} as const;

type Analysis = estypes.IndicesIndexSettingsAnalysis;

function analysisOf(settings: estypes.IndicesIndexSettings | undefined): Analysis {
  const s = (settings ?? {}) as { analysis?: Analysis; index?: { analysis?: Analysis } };
  return s.analysis ?? s.index?.analysis ?? {};
}

/** Merges the analysis blocks of several settings, later ones winning, as resolveSettings does. */
export function mergeAnalysis(...all: (estypes.IndicesIndexSettings | undefined)[]): Analysis {
  const out: Record<string, Record<string, unknown>> = {};
  for (const s of all) for (const [kind, defs] of Object.entries(analysisOf(s))) out[kind] = { ...(out[kind] ?? {}), ...(defs as Record<string, unknown>) };
  return out;
}

/** Every problem Elasticsearch would raise parsing `mappings` against `analysis` (empty: it would accept them). */
export function analysisProblems(mappings: estypes.MappingTypeMapping | undefined, analysis: Analysis): string[] {
  const problems: string[] = [];
  const defined = (kind: keyof typeof BUILT_IN, name: string) => BUILT_IN[kind].has(name) || Object.hasOwn((analysis as Record<string, object | undefined>)[kind] ?? {}, name);
  const walk = (props: Record<string, estypes.MappingProperty> | undefined, path: string) => {
    for (const [name, p] of Object.entries(props ?? {})) {
      const field = p as Record<string, unknown> & { properties?: Record<string, estypes.MappingProperty>; fields?: Record<string, estypes.MappingProperty> };
      const at = path ? `${path}.${name}` : name;
      for (const key of ['analyzer', 'search_analyzer', 'search_quote_analyzer'] as const) {
        const a = field[key];
        if (typeof a === 'string' && !defined('analyzer', a)) problems.push(`${at}: analyzer [${a}] has not been configured in mappings`);
      }
      if (typeof field.normalizer === 'string' && !defined('normalizer', field.normalizer)) problems.push(`${at}: normalizer [${field.normalizer}] not found for field [${at}]`);
      walk(field.properties, at);
      walk(field.fields, at);
    }
  };
  walk(mappings?.properties, '');
  // Custom analyzers and normalizers must be built from parts that exist.
  const parts = (kind: 'analyzer' | 'normalizer') => Object.entries(((analysis as Record<string, object | undefined>)[kind] ?? {}) as Record<string, { tokenizer?: string; filter?: string[]; char_filter?: string[] }>);
  for (const kind of ['analyzer', 'normalizer'] as const) {
    for (const [name, def] of parts(kind)) {
      if (def.tokenizer && !defined('tokenizer', def.tokenizer)) problems.push(`${kind} [${name}]: failed to find tokenizer under name [${def.tokenizer}]`);
      for (const f of def.filter ?? []) if (!defined('filter', f)) problems.push(`${kind} [${name}]: failed to find filter under name [${f}]`);
      for (const c of def.char_filter ?? []) if (!defined('char_filter', c)) problems.push(`${kind} [${name}]: failed to find char_filter under name [${c}]`);
    }
  }
  return problems;
}

/** A component template as Elasticsearch stores it: valid with its own settings alone. */
export function componentTemplateProblems(c: estypes.ClusterPutComponentTemplateRequest): string[] {
  return analysisProblems(c.template.mappings, mergeAnalysis(c.template.settings)).map((p) => `component template [${c.name}]: ${p}`);
}

/** An index template as Elasticsearch composes it: its components' settings merged in order, then its own. */
export function indexTemplateProblems(t: estypes.IndicesPutIndexTemplateRequest, components: readonly estypes.ClusterPutComponentTemplateRequest[]): string[] {
  const byName = new Map(components.map((c) => [c.name, c]));
  const missing = (t.composed_of ?? []).filter((n) => !byName.has(n)).map((n) => `index template [${t.name}]: missing component template [${n}]`);
  const used = (t.composed_of ?? []).flatMap((n) => (byName.get(n) ? [byName.get(n) as estypes.ClusterPutComponentTemplateRequest] : []));
  const analysis = mergeAnalysis(...used.map((c) => c.template.settings), t.template?.settings);
  const mappings = [...used.map((c) => c.template.mappings), t.template?.mappings];
  return [...missing, ...mappings.flatMap((m) => analysisProblems(m, analysis).map((p) => `index template [${t.name}]: ${p}`))];
}
