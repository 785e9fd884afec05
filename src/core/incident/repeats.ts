import type { Incident } from './incident.js';
import { similarIncidents } from './similar.js';

/**
 * A repeated problem («повторное обращение»): a new alert about the same thing at the same place as
 * an incident closed (or answered in full) within the window. Stricter than a merge suggestion: the
 * topic must agree, and either the house both name or the territory with near text. Pure.
 */
export interface Repeat {
  incidentId: string;
  closedAt: string;
  score: number;
}

export interface RepeatOptions {
  contains: (outer: string, inner: string) => boolean;
  /** How far back a closed incident still counts, in days. */
  windowDays: number;
  now: Date;
}

/** When an incident stopped being worked on: its last change while closed or answered in full. */
function closedAt(i: Incident): string | undefined {
  return i.status === 'closed' || i.status === 'answered_final' ? i.updatedAt : undefined;
}

export function findRepeat(alert: Incident, closed: readonly Incident[], o: RepeatOptions): Repeat | undefined {
  const since = o.now.getTime() - o.windowDays * 86_400_000;
  const recent = closed.filter((i) => {
    const at = closedAt(i);
    return at !== undefined && Date.parse(at) >= since && i.topic === alert.topic;
  });
  for (const s of similarIncidents(alert, recent, { contains: o.contains, limit: 5, minScore: 0.5 })) {
    const samePlace = s.houses.length > 0 || (s.sameTerritory && s.textSimilarity >= 0.2);
    if (s.sameTopic && samePlace) return { incidentId: s.incident.id, closedAt: closedAt(s.incident) ?? s.incident.updatedAt, score: s.score };
  }
  return undefined;
}
