import { z } from 'zod';
import type { Post } from '../core/post.js';
import type { Classification } from '../core/classify/classifier.js';
import type { Incident } from '../core/incident/incident.js';
import type { AuditEvent } from '../core/incident/lifecycle.js';
import type { MirroredIncident } from '../ports/search-index.js';
import { isRecord } from '../core/records.js';

/** The pipeline's stages, in order. */
export const STAGES = ['poll', 'analyze', 'route', 'index'] as const;
export type Stage = (typeof STAGES)[number];

/** `poll`: one scheduled tick of one source. */
export interface PollJob {
  sourceId: string;
}

/** `analyze`: a batch of freshly captured posts from one source. */
export interface AnalyzeJob {
  sourceId: string;
  posts: Post[];
}

export interface AnalyzedPost {
  post: Post;
  classification: Classification;
  analyzedAt: string;
}

/** `route`: the analysed batch. */
export interface RouteJob {
  items: AnalyzedPost[];
}

export interface RoutedPost extends AnalyzedPost {
  incidentId?: string;
  routedAt: string;
}

/**
 * `index`: routed posts, and incidents after a change with the events it made (from the incident
 * service, through the IncidentMirror port). A job carries either or both.
 */
export interface IndexJob {
  items: RoutedPost[];
  incidents?: MirroredIncident[];
}

/**
 * Envelope checks for job payloads. Posts are fully validated once, at capture; between stages
 * the engine checks the envelope and each element's identity cheaply (no copying), so a corrupted
 * job fails with a code instead of a TypeError.
 */
const postLike = z.custom<Post>((v) => isRecord(v) && typeof v.id === 'string' && typeof v.revision === 'string' && typeof v.createdAt === 'string', {
  message: 'not a post (id, revision, createdAt)',
});
const analyzedLike = z.custom<AnalyzedPost>((v) => isRecord(v) && postLike.safeParse(v.post).success && isRecord(v.classification), {
  message: 'not an analysed post (post, classification)',
});

const incidentLike = z.custom<Incident>((v) => isRecord(v) && typeof v.id === 'string' && typeof v.version === 'number', { message: 'not an incident (id, version)' });
const mirroredLike = z.object({
  incident: incidentLike,
  events: z.array(z.custom<AuditEvent>((v) => isRecord(v) && typeof v.incidentId === 'string', { message: 'not an audit event' })),
});

/**
 * Index jobs enqueued before this version looked different: an incident alone (`{incident,
 * events}`, job name `incident`) or posts with bare incidents. Read as today's shape, so an upgrade
 * with jobs waiting loses none.
 */
function upgradeIndexJob(v: unknown): unknown {
  if (!isRecord(v)) return v;
  if (isRecord(v.incident) && !('items' in v)) return { items: [], incidents: [{ incident: v.incident, events: v.events ?? [] }] };
  if (Array.isArray(v.incidents)) return { ...v, incidents: (v.incidents as unknown[]).map((i): unknown => (isRecord(i) && !('incident' in i) ? { incident: i, events: [] } : i)) };
  return v;
}

export const pollJobSchema = z.object({ sourceId: z.string().min(1) });
export const analyzeJobSchema = z.object({ sourceId: z.string().min(1), posts: z.array(postLike) });
export const routeJobSchema = z.object({ items: z.array(analyzedLike) });
export const indexJobSchema = z.preprocess(upgradeIndexJob, z.object({ items: z.array(analyzedLike).default([]), incidents: z.array(mirroredLike).optional() })) as unknown as z.ZodType<IndexJob>;
