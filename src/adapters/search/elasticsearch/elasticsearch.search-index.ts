import { Client, type estypes } from '@elastic/elasticsearch';
import { OtklikError } from '../../../core/errors.js';
import { byBody, NOTHING_MEASURED, slaRow, type SlaMeasure } from '../../../core/search/sla-row.js';
import { NO_QUALITY } from '../../../core/quality/incident-quality.js';
import type { SearchQuery, SearchResult, SlaQuery, SlaRow, TermCount, TermsQuery, TrendBucket, TrendQuery, Filters } from '../../../core/search/query.js';
import type { CaptureWindow, MirroredIncident, IndexedPost, IndexOutcome, ReadOptions, SearchBackendStatus, SearchIndex } from '../../../ports/search-index.js';
import { fromPostDoc, toEventDoc, toIncidentDoc, toPostDoc, toSpikeDoc, type PostDoc, type SpikeDoc } from './documents.js';
import { incidentLookupRequest, needsIncidentLookup, searchRequest, slaRequest, spikesRequest, termsRequest, trendsRequest } from './queries.js';
import type { SpikeQuery, SpikeRecord } from '../../../core/spikes/spike.js';
import { componentTemplates, esNames, incidentsAddedMappings, indexTemplates, postsPolicy, type EsNames } from './templates.js';

export interface ElasticsearchOptions {
  /** One node or several (a cluster addressed by a node list). */
  nodes: string[];
  apiKey?: string;
  requestTimeoutMs: number;
  replicas: number;
  retentionDays: number;
  /** Prefix of every index, alias, template and policy name (empty in production). */
  prefix?: string;
  /** For tests: the transport's Connection class (elasticsearch-mock). */
  Connection?: ConstructorParameters<typeof Client>[0]['Connection'];
}

type BulkOp = { index: estypes.BulkIndexOperation } | { create: estypes.BulkCreateOperation };

/**
 * Elasticsearch 8.x through the official client. Posts go to the `social-posts` alias (rolled over
 * by ILM) with the capture time as an external version, so an older revision never replaces a newer
 * one; incidents go to the `incidents` alias with their own version as the external version
 * (optimistic concurrency: a stale write is refused); audit events are appended to a data stream.
 */
export class ElasticsearchSearchIndex implements SearchIndex {
  readonly backend = 'elasticsearch';
  readonly client: Client;
  readonly names: EsNames;

  constructor(private readonly o: ElasticsearchOptions) {
    this.names = esNames(o.prefix ?? '');
    this.client = new Client({
      nodes: o.nodes,
      ...(o.apiKey ? { auth: { apiKey: o.apiKey } } : {}),
      requestTimeout: o.requestTimeoutMs,
      maxRetries: 3,
      name: 'otklik',
      ...(o.Connection ? { Connection: o.Connection } : {}),
    });
  }

  private ready: Promise<void> | undefined;

  /** Bootstraps once per process before the first write; a failure is retried by the next write. */
  private ensureReady(): Promise<void> {
    this.ready ??= this.bootstrap().catch((e: unknown) => {
      this.ready = undefined;
      throw e;
    });
    return this.ready;
  }

  /**
   * Creates or updates the ILM policy, templates and the first indices; safe to run at every start,
   * and by several processes at once: templates are upserts, and a first index another process
   * created a moment earlier (`resource_already_exists_exception`) is the index wanted.
   */
  async bootstrap(): Promise<void> {
    await this.call(async () => {
      await this.client.ilm.putLifecycle(postsPolicy(this.names, this.o.retentionDays));
      for (const c of componentTemplates(this.names, this.o.replicas)) await this.client.cluster.putComponentTemplate(c);
      for (const t of indexTemplates(this.names)) await this.client.indices.putIndexTemplate(t);
      if (!(await this.client.indices.existsAlias({ name: this.names.postsAlias }))) {
        await this.createIfAbsent(this.names.postsFirstIndex, this.names.postsAlias);
      }
      if (!(await this.client.indices.existsAlias({ name: this.names.incidentsAlias }))) {
        await this.createIfAbsent(this.names.incidentsIndex, this.names.incidentsAlias);
      } else {
        // An index made from an earlier template: the fields added since, before the first write.
        await this.client.indices.putMapping(incidentsAddedMappings(this.names));
      }
      if (!(await this.client.indices.existsAlias({ name: this.names.spikesAlias }))) {
        await this.createIfAbsent(this.names.spikesIndex, this.names.spikesAlias);
      }
    });
  }

  private async createIfAbsent(index: string, alias: string): Promise<void> {
    try {
      await this.client.indices.create({ index, aliases: { [alias]: { is_write_index: true } } });
    } catch (e) {
      if ((e as { meta?: { body?: { error?: { type?: string } } } }).meta?.body?.error?.type !== 'resource_already_exists_exception') throw e;
    }
  }

  async indexPosts(docs: readonly IndexedPost[]): Promise<IndexOutcome> {
    if (docs.length === 0) return { rejected: [] };
    await this.ensureReady();
    const operations: (BulkOp | PostDoc)[] = [];
    for (const d of docs) {
      operations.push({ index: { _index: this.names.postsAlias, _id: d.post.id, version: Date.parse(d.post.capturedAt), version_type: 'external_gte' } }, toPostDoc(d));
    }
    const res = await this.call(() => this.client.bulk({ operations }));
    const rejected = this.classify(res, docs.map((d) => d.post.id));
    await this.dropSupersededCopies(docs, res);
    return { rejected };
  }

  /**
   * An edit (or a deletion's tombstone) that lands after a rollover goes to the new write index
   * while the older revision stays in an older one under the same id: the API collapses them, but
   * Kibana counts both. So older revisions of the edited posts are deleted from every other index
   * behind the alias — only older ones (captured before this revision), so a stale revision arriving
   * late never removes a newer one.
   */
  private async dropSupersededCopies(docs: readonly IndexedPost[], res: estypes.BulkResponse): Promise<void> {
    const byIndex = new Map<string, estypes.QueryDslQueryContainer[]>();
    docs.forEach((d, i) => {
      const r = res.items[i]?.index;
      if (!r || r.status >= 300 || (d.post.editedAt === undefined && d.post.deletedAt === undefined)) return;
      const older = byIndex.get(r._index) ?? [];
      older.push({ bool: { filter: [{ ids: { values: [d.post.id] } }, { range: { 'event.created': { lt: d.post.capturedAt } } }] } });
      byIndex.set(r._index, older);
    });
    for (const [index, should] of byIndex) {
      await this.call(() =>
        this.client.deleteByQuery({
          index: this.names.postsAlias,
          conflicts: 'proceed',
          refresh: false,
          query: { bool: { should, minimum_should_match: 1, must_not: [{ term: { _index: index } }] } },
        }),
      );
    }
  }

  async indexIncidents(items: readonly MirroredIncident[]): Promise<void> {
    if (items.length === 0) return;
    await this.ensureReady();
    const operations: unknown[] = [];
    const ids: string[] = [];
    for (const { incident, events } of items) {
      operations.push({ index: { _index: this.names.incidentsAlias, _id: incident.id, version: incident.version, version_type: 'external' } }, toIncidentDoc(incident));
      ids.push(incident.id);
      for (const e of events) {
        operations.push({ create: { _index: this.names.eventsStream, _id: `${e.incidentId}:${e.version}` } }, toEventDoc(e));
        ids.push(`${e.incidentId}:${e.version}`);
      }
    }
    const res = await this.call(() => this.client.bulk({ operations }));
    const rejected = this.classify(res, ids);
    if (rejected.length > 0) {
      throw new OtklikError('SEARCH_DOCUMENT_REJECTED', `incident documents refused: ${rejected.map((r) => `${r.postId}: ${r.reason}`).join('; ')}`);
    }
  }

  /** Spikes by their key: a spike found again (a look back over the same hours) is one document. */
  async indexSpikes(spikes: readonly SpikeRecord[]): Promise<void> {
    if (spikes.length === 0) return;
    await this.ensureReady();
    const operations = spikes.flatMap((s) => [{ index: { _index: this.names.spikesAlias, _id: s.key } }, toSpikeDoc(s)]);
    const res = await this.call(() => this.client.bulk({ operations }));
    const rejected = this.classify(res, spikes.map((s) => s.key));
    if (rejected.length > 0) throw new OtklikError('SEARCH_DOCUMENT_REJECTED', `spike documents refused: ${rejected.map((r) => `${r.postId}: ${r.reason}`).join('; ')}`);
  }

  async spikes(q: SpikeQuery, o: ReadOptions = {}): Promise<SpikeRecord[]> {
    const res = await this.call(() => this.client.search<Pick<SpikeDoc, 'otklik'>>(spikesRequest(this.names, q), transport(o)));
    return res.hits.hits.flatMap((h) => (h._source?.otklik.doc.spike ? [h._source.otklik.doc.spike] : []));
  }

  /**
   * Walks bulk items in order: 409 is a duplicate or a stale version (fine), 429 and 5xx are worth
   * retrying (the whole job is retried; the versions make that idempotent), other 4xx are refused
   * for good and returned for the dead-letter queue.
   */
  private classify(res: estypes.BulkResponse, ids: readonly string[]): IndexOutcome['rejected'] {
    if (!res.errors) return [];
    const rejected: IndexOutcome['rejected'] = [];
    let retry = 0;
    res.items.forEach((item, i) => {
      const r = item.index ?? item.create ?? item.update ?? item.delete;
      if (!r?.error) return;
      const status = r.status;
      if (status === 409) return;
      if (status === 429 || status >= 500) retry++;
      else rejected.push({ postId: ids[i] ?? r._id ?? '?', reason: `${r.error.type}: ${r.error.reason ?? ''}`.slice(0, 500) });
    });
    if (retry > 0) throw new OtklikError('SEARCH_INDEX_FAILED', `${retry} documents were not indexed (Elasticsearch busy or failing); the batch will be retried`, { retryable: true });
    return rejected;
  }

  private async incidentIds(f: Filters, o: ReadOptions): Promise<string[] | undefined> {
    if (!needsIncidentLookup(f)) return undefined;
    const res = await this.call(() => this.client.search(incidentLookupRequest(this.names, f), transport(o)));
    return res.hits.hits.flatMap((h) => (typeof h._id === 'string' ? [h._id] : []));
  }

  async search(q: SearchQuery, o: ReadOptions = {}): Promise<SearchResult> {
    const ids = await this.incidentIds(q, o);
    const res = await this.call(() => this.client.search<PostDoc, { posts: estypes.AggregationsCardinalityAggregate }>(searchRequest(this.names, q, ids), transport(o)));
    return {
      total: res.aggregations?.posts.value ?? 0,
      page: q.page,
      size: q.size,
      items: res.hits.hits.flatMap((h) => (h._source ? [fromPostDoc(h._source)] : [])),
    };
  }

  async trends(q: TrendQuery, o: ReadOptions = {}): Promise<TrendBucket[]> {
    const ids = await this.incidentIds(q, o);
    type Bucket = estypes.AggregationsDateHistogramBucket & { by?: estypes.AggregationsStringTermsAggregate };
    const res = await this.call(() => this.client.search<unknown, { over_time: estypes.AggregationsDateHistogramAggregate }>(trendsRequest(this.names, q, ids), transport(o)));
    const buckets = (res.aggregations?.over_time.buckets ?? []) as Bucket[];
    return buckets.map((b) => ({
      key: new Date(Number(b.key)).toISOString().replace('.000Z', 'Z'),
      total: b.doc_count,
      by: q.by ? Object.fromEntries(((b.by?.buckets ?? []) as estypes.AggregationsStringTermsBucket[]).map((t) => [String(t.key), t.doc_count])) : {},
    }));
  }

  async terms(q: TermsQuery, o: ReadOptions = {}): Promise<TermCount[]> {
    const ids = await this.incidentIds(q, o);
    const res = await this.call(() => this.client.search<unknown, { top: estypes.AggregationsStringTermsAggregate }>(termsRequest(this.names, q, ids), transport(o)));
    return ((res.aggregations?.top.buckets ?? []) as estypes.AggregationsStringTermsBucket[]).map((b) => ({ key: String(b.key), count: b.doc_count }));
  }

  async sla(q: SlaQuery, now: Date, o: ReadOptions = {}): Promise<SlaRow[]> {
    type Percentiles = { values: Record<string, number | null> };
    type Count = { doc_count: number };
    type Sum = { value: number | null };
    type Incidents = { doc_count: number; answers: Sum; formal: Sum; satisfied: Count; unsatisfied: Count; reopened: Count; returned: Sum };
    type Ended = { key: string; doc_count: number; met: Count; working: Percentiles; wall: Percentiles; incidents?: Incidents };
    type Aggs = { clocks: { ended: { bodies: { buckets: Ended[] } }; overdue: { bodies: { buckets: { key: string; doc_count: number }[] } } } };
    const res = await this.call(() => this.client.search<unknown, Aggs>(slaRequest(this.names, q, now), transport(o)));
    const aggs = res.aggregations?.clocks;
    const measures = new Map<string, SlaMeasure>();
    for (const b of aggs?.ended.bodies.buckets ?? []) {
      const met = b.met.doc_count;
      measures.set(b.key, {
        met,
        late: b.doc_count - met,
        overdueNow: 0,
        working: { median: b.working.values['50.0'] ?? null, p90: b.working.values['90.0'] ?? null },
        wall: { median: b.wall.values['50.0'] ?? null, p90: b.wall.values['90.0'] ?? null },
        quality: b.incidents
          ? {
              incidents: b.incidents.doc_count,
              answers: b.incidents.answers.value ?? 0,
              formal: b.incidents.formal.value ?? 0,
              satisfied: b.incidents.satisfied.doc_count,
              unsatisfied: b.incidents.unsatisfied.doc_count,
              reopened: b.incidents.reopened.doc_count,
              returned: b.incidents.returned.value ?? 0,
            }
          : NO_QUALITY,
      });
    }
    for (const b of aggs?.overdue.bodies.buckets ?? []) measures.set(b.key, { ...(measures.get(b.key) ?? NOTHING_MEASURED), overdueNow: b.doc_count });
    return byBody([...measures].map(([bodyId, m]) => slaRow(bodyId, m)));
  }

  async status(): Promise<SearchBackendStatus> {
    try {
      const h = await this.client.cluster.health({ timeout: '2s' });
      return { backend: this.backend, configured: true, ok: h.status !== 'red', message: `Elasticsearch cluster ${h.cluster_name}: ${h.status}` };
    } catch (e) {
      return { backend: this.backend, configured: true, ok: false, message: `Elasticsearch unreachable: ${describe(e)}` };
    }
  }

  /**
   * Moves incidents to a new index without downtime: create `<alias>-v<n>` from the (updated)
   * template and copy everything with `_reindex`; swap the alias in one atomic `_aliases` call, so
   * writes go to the new index from then on; copy again, which brings across what was written to
   * the old index between the first copy and the swap (`version_type: external`: only newer
   * versions win); then delete the old index, so `incidents*` (Kibana's data view) counts each
   * incident once. Resumable: an existing target index is reused.
   */
  async reindexIncidents(toVersion: number): Promise<{ from: string; to: string; copied: number; removed: string }> {
    return this.call(async () => {
      const alias = this.names.incidentsAlias;
      const current = Object.keys(await this.client.indices.getAlias({ name: alias }));
      const from = current[0];
      const to = `${alias}-v${toVersion}`;
      if (!from) throw new OtklikError('SEARCH_INDEX_FAILED', `alias ${alias} points at no index`);
      if (from === to) throw new OtklikError('SEARCH_INDEX_FAILED', `incidents already live in ${to}`);
      if (!(await this.client.indices.exists({ index: to }))) await this.client.indices.create({ index: to });
      const copy = async () => {
        const r = await this.client.reindex({ source: { index: from }, dest: { index: to, version_type: 'external' }, conflicts: 'proceed', refresh: true, wait_for_completion: true });
        return (r.created ?? 0) + (r.updated ?? 0);
      };
      let copied = await copy();
      await this.client.indices.updateAliases({
        actions: [{ remove: { index: from, alias } }, { add: { index: to, alias, is_write_index: true } }],
      });
      copied += await copy();
      await this.client.indices.delete({ index: from });
      return { from, to, copied, removed: from };
    });
  }

  /**
   * One update-by-query over the posts alias for the capture window (`otklik.raw` is stored, not
   * indexed, so it cannot be searched for: the window, not the field, selects the documents).
   * Version conflicts (a document written meanwhile) are skipped, not fatal.
   */
  async purgePersonalData(window: CaptureWindow): Promise<number> {
    const res = await this.call(() =>
      this.client.updateByQuery({
        index: this.names.postsAlias,
        conflicts: 'proceed',
        refresh: false,
        wait_for_completion: true,
        query: { range: { 'event.created': { ...(window.from ? { gte: window.from.toISOString() } : {}), lt: window.before.toISOString() } } },
        script: { lang: 'painless', source: "ctx._source.remove('user'); if (ctx._source.otklik != null) { ctx._source.otklik.remove('raw'); }" },
      }),
    );
    return res.total ?? 0;
  }

  /** Refreshes the aliases (tests and backfills only; production ingestion never refreshes). */
  async refresh(): Promise<void> {
    await this.call(() => this.client.indices.refresh({ index: [this.names.postsAlias, this.names.incidentsAlias, this.names.eventsStream, this.names.spikesAlias], ignore_unavailable: true }));
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Client errors become typed ones: unreachable or busy is retryable (503), a refused request is not. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const status = (e as { meta?: { statusCode?: number } }).meta?.statusCode;
      const name = (e as Error).name;
      if (name === 'ConnectionError' || name === 'TimeoutError' || name === 'NoLivingConnectionsError' || status === 429 || (status !== undefined && status >= 500)) {
        throw new OtklikError('SEARCH_UNAVAILABLE', `Elasticsearch: ${describe(e)}`, { cause: e, retryable: true });
      }
      throw new OtklikError('SEARCH_INDEX_FAILED', `Elasticsearch: ${describe(e)}`, { cause: e, retryable: false });
    }
  }
}

function describe(e: unknown): string {
  const err = e as { name?: string; message?: string; meta?: { statusCode?: number; body?: { error?: { type?: string; reason?: string } } } };
  const type = err.meta?.body?.error?.type;
  return [err.name, err.meta?.statusCode, type, err.meta?.body?.error?.reason ?? err.message].filter((x) => x !== undefined && x !== '').join(' ').slice(0, 300);
}

/** A caller that went away aborts its request to the cluster (the client's transport takes the signal). */
function transport(o: ReadOptions): { signal?: AbortSignal } {
  return o.signal ? { signal: o.signal } : {};
}
