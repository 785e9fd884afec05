import type { SlaRow } from '../search/query.js';

/** Below this many measured answers a body is listed, not ranked: small counts swing wildly. */
export const MIN_RANKED_VOLUME = 5;

export interface TopicLine {
  topic: string;
  name: string;
  alerts: number;
  previous: number;
  /** Relative change against the previous period; null when there was nothing before. */
  growth: number | null;
}

export interface BodyLine {
  bodyId: string;
  name: string;
  measured: number;
  compliance: number | null;
  medianWorkingMinutes: number | null;
  overdueNow: number;
  /** A separate column, not part of the rank: отписки, the residents' verdicts, reopenings, answers returned. */
  quality: SlaRow['quality'];
}

export interface RecurringProblem {
  topic: string;
  name: string;
  territory: string;
  alerts: number;
  /** Alerts on the same topic and territory in the three months before. */
  before: number;
}

export interface MonthlyNote {
  region: string;
  month: string;
  timeZone: string;
  generatedAt: string;
  posts: { total: number; previous: number; growth: number | null };
  alerts: { total: number; previous: number; growth: number | null };
  negativeShare: number | null;
  topics: TopicLine[];
  sla: { measured: number; met: number; compliance: number | null };
  fastest: BodyLine[];
  slowest: BodyLine[];
  unranked: BodyLine[];
  recurring: RecurringProblem[];
}

export interface RatingLine extends BodyLine {
  rank: number;
  previousRank: number | null;
}

export interface QuarterlyRating {
  quarter: string;
  timeZone: string;
  generatedAt: string;
  ranked: RatingLine[];
  unranked: BodyLine[];
}

export function growth(now: number, before: number): number | null {
  return before === 0 ? null : Math.round(((now - before) / before) * 1000) / 1000;
}

export function bodyLine(r: SlaRow, name: (id: string) => string): BodyLine {
  return { bodyId: r.bodyId, name: name(r.bodyId), measured: r.measured, compliance: r.compliance, medianWorkingMinutes: r.medianWorkingMinutes, overdueNow: r.overdueNow, quality: r.quality };
}

/** Best first: higher compliance, then faster median, then more answers. */
export function byPerformance(a: BodyLine, b: BodyLine): number {
  return (b.compliance ?? -1) - (a.compliance ?? -1) || (a.medianWorkingMinutes ?? Infinity) - (b.medianWorkingMinutes ?? Infinity) || b.measured - a.measured || a.bodyId.localeCompare(b.bodyId);
}

/** Ranks bodies with enough volume; ties in compliance and median share a rank. */
export function rankBodies(rows: readonly SlaRow[], name: (id: string) => string, previous: readonly SlaRow[] = []): { ranked: RatingLine[]; unranked: BodyLine[] } {
  const lines = rows.map((r) => bodyLine(r, name));
  const eligible = lines.filter((l) => l.measured >= MIN_RANKED_VOLUME).sort(byPerformance);
  const before = previous.map((r) => bodyLine(r, name)).filter((l) => l.measured >= MIN_RANKED_VOLUME).sort(byPerformance);
  const rankOf = (list: BodyLine[]) => {
    const ranks = new Map<string, number>();
    list.forEach((l, i) => {
      const prev = list[i - 1];
      const tie = prev && prev.compliance === l.compliance && prev.medianWorkingMinutes === l.medianWorkingMinutes;
      ranks.set(l.bodyId, tie ? (ranks.get(prev.bodyId) ?? i + 1) : i + 1);
    });
    return ranks;
  };
  const now = rankOf(eligible);
  const then = rankOf(before);
  return {
    ranked: eligible.map((l) => ({ ...l, rank: now.get(l.bodyId) ?? 0, previousRank: then.get(l.bodyId) ?? null })),
    unranked: lines.filter((l) => l.measured < MIN_RANKED_VOLUME).sort((a, b) => a.bodyId.localeCompare(b.bodyId)),
  };
}
