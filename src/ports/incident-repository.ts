import type { Incident, IncidentStatus } from '../core/incident/incident.js';
import type { AuditEvent } from '../core/incident/lifecycle.js';

/** One atomic change: the incident as it should be, the version it was read at, and its events. */
export interface IncidentChange {
  incident: Incident;
  /** The version this change was computed from; 0 opens a new incident. */
  expectedVersion: number;
  previousStatus?: IncidentStatus;
  events: AuditEvent[];
}

/**
 * Where incidents are kept, with their audit trail. Only the incident service writes (it is the
 * owner); everything else reads. Redis in the engine, memory in fast tests: both pass
 * test/helpers/incident-repository-conformance.ts.
 */
export interface IncidentRepository {
  /**
   * Writes all changes or none. A change computed from a version that is no longer current (or
   * opening an incident that exists) fails with INCIDENT_VERSION_CONFLICT naming the incident.
   */
  commit(changes: readonly IncidentChange[]): Promise<void>;
  get(id: string): Promise<Incident | undefined>;
  /** The incident, or INCIDENT_NOT_FOUND. */
  require(id: string): Promise<Incident>;
  getMany(ids: readonly string[]): Promise<Incident[]>;
  events(id: string): Promise<AuditEvent[]>;
  count(): Promise<number>;
  /** Ids of incidents in a status, oldest first. */
  idsByStatus(status: IncidentStatus, limit?: number, offset?: number): Promise<string[]>;
  /** Ids of incidents in a status, newest first. */
  newestByStatus(status: IncidentStatus, limit: number): Promise<string[]>;
  /** The newest incidents. */
  latest(limit: number): Promise<Incident[]>;
}
