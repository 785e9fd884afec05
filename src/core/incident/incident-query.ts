import { z } from 'zod';
import type { Incident, IncidentStatus, SlaClock } from './incident.js';
import { queryList, queryRepeated } from '../query-params.js';

export const OPEN_STATUSES: readonly IncidentStatus[] = ['routed', 'in_progress', 'answered_interim', 'paused', 'on_review'];
export const ALL_STATUSES: readonly IncidentStatus[] = ['alert', 'rejected', 'merged', ...OPEN_STATUSES, 'answered_final', 'closed'];


/** The filters of the incident lists (the moderators' queue, a responder's desk). */
export const incidentQuerySchema = z
  .object({
    /** Statuses, or `open` for every open one. */
    status: queryList(z.enum(['alert', 'rejected', 'merged', 'routed', 'in_progress', 'answered_interim', 'paused', 'on_review', 'answered_final', 'closed', 'open'])),
    topic: queryList(z.string().min(1).max(100)),
    /** Territory ids contain commas («г. Энск, Северный район»): several are repeated parameters. */
    territory: queryRepeated(z.string().min(1).max(200)),
    body: queryList(z.string().min(1).max(100)),
    priority: queryList(z.enum(['high', 'normal'])),
    sentiment: queryList(z.enum(['negative', 'neutral', 'positive'])),
    type: queryList(z.enum(['complaint', 'question', 'gratitude', 'review', 'other'])),
    platform: queryList(z.enum(['vk', 'ok', 'tg'])),
    /** Only incidents whose SLA is at risk (a warning fired) or breached. */
    atRisk: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    /** Words that must all appear in the opening post (case-insensitive). */
    q: z.string().trim().max(200).optional(),
    /** Only incidents changed after this instant (the live queue asks for what is new). */
    since: z.string().datetime({ offset: true }).optional(),
    /** Only incidents opened after this instant (the queue counts what arrived since the moderator last looked). */
    after: z.string().datetime({ offset: true }).optional(),
    /**
     * newest / oldest: by when the engine opened it (oldest = waiting longest); posted: by when the
     * post was written, newest first; priority: high first, then waiting longest; due: soonest deadline.
     */
    sort: z.enum(['newest', 'oldest', 'posted', 'priority', 'due']).default('newest'),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    size: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export type IncidentQuery = z.infer<typeof incidentQuerySchema>;

export function statusesOf(q: IncidentQuery): IncidentStatus[] {
  const wanted = q.status ?? ['alert', 'open'];
  return [...new Set(wanted.flatMap((s) => (s === 'open' ? OPEN_STATUSES : [s])))];
}

/** The running clock whose deadline comes first. */
export function nextDue(incident: Incident): SlaClock | undefined {
  let best: SlaClock | undefined;
  for (const c of incident.clocks) {
    if (c.stoppedAt !== undefined || c.dueAt === undefined) continue;
    if (!best || (best.dueAt ?? '') > c.dueAt) best = c;
  }
  return best;
}

export function isAtRisk(incident: Incident): boolean {
  return incident.clocks.some((c) => c.stoppedAt === undefined && (c.breachedAt !== undefined || c.warningsFired.length > 0));
}

function platformOf(incident: Incident): string {
  return incident.postIds[0]?.split(':')[0] ?? '';
}

/** Does an incident pass the filters (status is chosen by the caller's lookup)? Pure. */
export function matchesIncident(i: Incident, q: IncidentQuery, within: (outer: string, inner: string) => boolean): boolean {
  if (q.topic && !q.topic.some((t) => t === i.topic || t === i.subtopic)) return false;
  if (q.territory && !q.territory.some((t) => i.territory !== undefined && within(t, i.territory))) return false;
  if (q.body && !q.body.includes(i.bodyId ?? i.proposedBodyId)) return false;
  if (q.priority && !q.priority.includes(i.priority)) return false;
  if (q.sentiment && !q.sentiment.includes(i.sentiment.label)) return false;
  if (q.type && !q.type.includes(i.type)) return false;
  if (q.platform && !(q.platform as string[]).includes(platformOf(i))) return false;
  if (q.atRisk !== undefined && isAtRisk(i) !== q.atRisk) return false;
  if (q.since && i.updatedAt <= new Date(q.since).toISOString()) return false;
  if (q.after && i.createdAt <= new Date(q.after).toISOString()) return false;
  if (q.q) {
    const text = (i.text ?? '').toLowerCase().replaceAll('ё', 'е');
    const words = q.q.toLowerCase().replaceAll('ё', 'е').split(/\s+/).filter((w) => w !== '');
    if (!words.every((w) => text.includes(w))) return false;
  }
  return true;
}

export function compareIncidents(sort: IncidentQuery['sort']): (a: Incident, b: Incident) => number {
  const oldest = (a: Incident, b: Incident) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
  if (sort === 'oldest') return oldest;
  if (sort === 'priority') return (a, b) => (a.priority === b.priority ? 0 : a.priority === 'high' ? -1 : 1) || oldest(a, b);
  if (sort === 'posted') return (a, b) => (b.postedAt ?? b.createdAt).localeCompare(a.postedAt ?? a.createdAt) || a.id.localeCompare(b.id);
  if (sort === 'due') {
    // Breached and soonest-due first; incidents without a running clock last, newest first.
    return (a, b) => {
      const da = nextDue(a)?.dueAt ?? '9999';
      const db = nextDue(b)?.dueAt ?? '9999';
      return da.localeCompare(db) || b.createdAt.localeCompare(a.createdAt);
    };
  }
  return (a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id);
}
