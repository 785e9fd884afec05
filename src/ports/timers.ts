import type { Incident } from '../core/incident/incident.js';

/** A timer firing: which clock of which incident, and what is due. */
export interface TimerJob {
  incidentId: string;
  clockId: string;
  kind: 'warning' | 'due';
  fraction?: number;
  at: string;
}

/** SLA warnings and breaches scheduled to fire at their time (delayed jobs in the engine). */
export interface TimerPlanner {
  /** Makes the incident's scheduled timers match its clocks: obsolete ones removed, missing ones added. */
  replan(incident: Incident): Promise<{ added: number; removed: number }>;
  /** Forgets a timer that fired. */
  fired(incidentId: string, jobId: string): Promise<void>;
}
