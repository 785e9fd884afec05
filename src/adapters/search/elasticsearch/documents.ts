import type { Incident } from '../../../core/incident/incident.js';
import { incidentQuality } from '../../../core/quality/incident-quality.js';
import type { SpikeRecord } from '../../../core/spikes/spike.js';
import type { AuditEvent } from '../../../core/incident/lifecycle.js';
import type { SearchHit } from '../../../core/search/query.js';
import type { IndexedPost } from '../../../ports/search-index.js';

/** A post as stored in `social-posts` (ECS-style names, our own under `otklik`). */
export interface PostDoc {
  '@timestamp': string;
  event: { created: string; ingested: string };
  message: string;
  url?: { original: string };
  user?: { id: string };
  otklik: {
    platform: string;
    source: string;
    territory?: string;
    post: { id: string; revision: string; kind: string; parent_id?: string; edited_at?: string; deleted_at?: string };
    owner: { id: string };
    language?: string;
    topic: string;
    subtopic?: string;
    topics: string[];
    sentiment: string;
    sentiment_score: number;
    type: string;
    alert: boolean;
    spam: boolean;
    priority: string;
    incident_id?: string;
    lag_seconds: number;
    metrics: { likes?: number; reposts?: number; comments?: number; views?: number };
    explain: { lines: string[] };
    raw?: { payload: unknown };
  };
}

export function toPostDoc(d: IndexedPost): PostDoc {
  const p = d.post;
  const c = d.classification;
  return {
    '@timestamp': p.createdAt,
    event: { created: p.capturedAt, ingested: d.routedAt },
    message: p.text,
    ...(p.permalink ? { url: { original: p.permalink } } : {}),
    ...(p.author ? { user: { id: p.author.id } } : {}),
    otklik: {
      platform: p.platform,
      source: p.sourceId,
      ...((c.territory ?? p.territory) ? { territory: c.territory ?? p.territory } : {}),
      post: {
        id: p.id,
        revision: p.revision,
        kind: p.kind,
        ...(p.parentId ? { parent_id: p.parentId } : {}),
        ...(p.editedAt ? { edited_at: p.editedAt } : {}),
        ...(p.deletedAt ? { deleted_at: p.deletedAt } : {}),
      },
      owner: { id: p.community.id },
      ...(c.language ? { language: c.language } : {}),
      topic: c.topics[0]?.id ?? 'other',
      ...(c.subtopic ? { subtopic: c.subtopic } : {}),
      topics: c.topics.map((t) => t.id),
      sentiment: c.sentiment.label,
      sentiment_score: c.sentiment.score,
      type: c.type,
      alert: c.alert,
      spam: c.spam,
      priority: c.priority,
      ...(d.incidentId ? { incident_id: d.incidentId } : {}),
      lag_seconds: Math.max(0, (Date.parse(p.capturedAt) - Date.parse(p.createdAt)) / 1000),
      metrics: { ...p.engagement },
      explain: { lines: c.explain },
      ...(p.raw === undefined ? {} : { raw: { payload: p.raw } }),
    },
  };
}

export function fromPostDoc(doc: PostDoc): SearchHit {
  const o = doc.otklik;
  return {
    id: o.post.id,
    revision: o.post.revision,
    platform: o.platform,
    source: o.source,
    text: doc.message,
    createdAt: new Date(doc['@timestamp']).toISOString(),
    ...(doc.url ? { permalink: doc.url.original } : {}),
    ...(o.territory ? { territory: o.territory } : {}),
    topic: o.topic,
    sentiment: o.sentiment,
    type: o.type,
    alert: o.alert,
    ...(o.incident_id ? { incidentId: o.incident_id } : {}),
    ...(o.post.parent_id ? { parentId: o.post.parent_id } : {}),
    ...(o.post.deleted_at ? { deletedAt: o.post.deleted_at } : {}),
  };
}

export interface IncidentDoc {
  '@timestamp': string;
  otklik: {
    incident: {
      id: string;
      version: number;
      status: string;
      body_id?: string;
      proposed_body_id: string;
      topic: string;
      subtopic?: string;
      territory?: string;
      priority: string;
      type: string;
      sentiment: string;
      post_ids: string[];
      opened_at: string;
      updated_at: string;
      permalink?: string;
    };
    quality: { answers: number; formal: number; verdict?: string; reopenings: number; returned: number };
    clocks: ClockDoc[];
    sla: { first_response?: ClockDoc };
    doc: { incident: Incident };
  };
}

interface ClockDoc {
      id: string;
      kind: string;
      scope: string;
      body_id: string;
      policy: string;
      started_at: string;
      due_at?: string;
      stopped_at?: string;
      breached_at?: string;
      outcome?: string;
      wall_minutes?: number;
      working_minutes?: number;
}

export function toIncidentDoc(i: Incident): IncidentDoc {
  return {
    '@timestamp': i.createdAt,
    otklik: {
      incident: {
        id: i.id,
        version: i.version,
        status: i.status,
        ...(i.bodyId ? { body_id: i.bodyId } : {}),
        proposed_body_id: i.proposedBodyId,
        topic: i.topic,
        ...(i.subtopic ? { subtopic: i.subtopic } : {}),
        ...(i.territory ? { territory: i.territory } : {}),
        priority: i.priority,
        type: i.type,
        sentiment: i.sentiment.label,
        post_ids: i.postIds,
        opened_at: i.createdAt,
        updated_at: i.updatedAt,
        ...(i.permalink ? { permalink: i.permalink } : {}),
      },
      quality: (() => {
        const q = incidentQuality(i);
        return { answers: q.answers, formal: q.formal, ...(q.verdict ? { verdict: q.verdict } : {}), reopenings: q.reopenings, returned: q.returned };
      })(),
      clocks: i.clocks.map(toClockDoc),
      sla: (() => {
        const fr = [...i.clocks].reverse().find((c) => c.kind === 'first_response' && c.scope === 'body');
        return fr ? { first_response: toClockDoc(fr) } : {};
      })(),
      doc: { incident: i },
    },
  };
}

function toClockDoc(c: Incident['clocks'][number]): ClockDoc {
  return {
        id: c.id,
        kind: c.kind,
        scope: c.scope,
        body_id: c.bodyId,
        policy: c.policy,
        started_at: c.startedAt,
        ...(c.dueAt ? { due_at: c.dueAt } : {}),
        ...(c.stoppedAt ? { stopped_at: c.stoppedAt } : {}),
        ...(c.breachedAt ? { breached_at: c.breachedAt } : {}),
        ...(c.outcome ? { outcome: c.outcome } : {}),
        ...(c.elapsed ? { wall_minutes: c.elapsed.wallMinutes, working_minutes: c.elapsed.workingMinutes } : {}),
  };
}

export function toEventDoc(e: AuditEvent): Record<string, unknown> {
  return {
    '@timestamp': e.at,
    event: { action: e.action },
    user: { id: e.actor.id, roles: [e.actor.role] },
    otklik: { incident: { id: e.incidentId, version: e.version }, from_status: e.from, to_status: e.to, ...(e.reason ? { reason: e.reason } : {}), details: e.details },
  };
}

/** A spike as stored in `spikes` (its record whole under `otklik.doc`, the fields Kibana and filters use flat). */
export interface SpikeDoc {
  '@timestamp': string;
  event: { created: string };
  message: string;
  otklik: {
    spike: { key: string; kind: string; topic: string; territory: string; count: number; expected: number; range_low: number; range_high: number; p_value: number; rising: string[]; top_post_ids: string[] };
    doc: { spike: SpikeRecord };
  };
}

export function toSpikeDoc(s: SpikeRecord): SpikeDoc {
  return {
    '@timestamp': s.hour,
    event: { created: s.detectedAt },
    message: s.top.map((p) => p.text).join('\n'),
    otklik: {
      spike: {
        key: s.key,
        kind: s.kind,
        topic: s.topic,
        territory: s.territory,
        count: s.count,
        expected: s.expected,
        range_low: s.range[0],
        range_high: s.range[1],
        p_value: s.pValue,
        rising: s.rising,
        top_post_ids: s.top.map((p) => p.id),
      },
      doc: { spike: s },
    },
  };
}
