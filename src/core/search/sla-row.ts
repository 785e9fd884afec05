import { share } from '../numbers.js';
import type { SlaRow } from './query.js';
import { NO_QUALITY, type QualityMeasure } from '../quality/incident-quality.js';

/** What a backend measured for one body; the row's derived fields are computed here once for all backends. */
export interface SlaMeasure {
  met: number;
  late: number;
  overdueNow: number;
  working: { median: number | null; p90: number | null };
  wall: { median: number | null; p90: number | null };
  quality: QualityMeasure;
}

/** A body with nothing measured (yet). */
export const NOTHING_MEASURED: SlaMeasure = { met: 0, late: 0, overdueNow: 0, working: { median: null, p90: null }, wall: { median: null, p90: null }, quality: NO_QUALITY };

export function slaRow(bodyId: string, m: SlaMeasure = NOTHING_MEASURED): SlaRow {
  const measured = m.met + m.late;
  return {
    bodyId,
    measured,
    met: m.met,
    late: m.late,
    overdueNow: m.overdueNow,
    compliance: share(m.met, measured),
    medianWorkingMinutes: m.working.median,
    p90WorkingMinutes: m.working.p90,
    medianWallMinutes: m.wall.median,
    p90WallMinutes: m.wall.p90,
    quality: {
      ...m.quality,
      formalShare: share(m.quality.formal, m.quality.answers),
      satisfaction: share(m.quality.satisfied, m.quality.satisfied + m.quality.unsatisfied),
      reopenedShare: share(m.quality.reopened, m.quality.incidents),
    },
  };
}

/** Rows by body id, as every SLA table lists them. */
export function byBody(rows: Iterable<SlaRow>): SlaRow[] {
  return [...rows].sort((a, b) => a.bodyId.localeCompare(b.bodyId));
}
