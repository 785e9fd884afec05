import type { Incident, IncidentStatus } from '../incident/incident.js';
import { nextDue } from '../incident/incident-query.js';

/**
 * Open311 GeoReport v2, read side: incidents as service requests and topics as services, so civic
 * dashboards and city apps that speak the standard can read the engine. Field names and meanings as
 * GeoReport v2 defines them (wiki.open311.org/GeoReport_v2; the same fields as FIWARE's "Open311
 * Service Requests" data model, smart-data-models/dataModel.IssueTracking). Pure.
 *
 * Only what a moderator accepted is a service request: an unreviewed alert, a rejected one or one
 * merged into another is not. No personal data: no author, and phone numbers and e-mail addresses
 * in the text are masked.
 */
export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: false;
  type: 'realtime';
  keywords: string;
  group: string;
}

export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string;
  service_notice: string;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string;
  address_id: null;
  zipcode: null;
  lat: null;
  long: null;
  media_url: null;
}

/** Engine status → GeoReport's two, with the engine's own words in status_notes. */
const STATUS: Partial<Record<IncidentStatus, { status: 'open' | 'closed'; notes: string }>> = {
  routed: { status: 'open', notes: 'направлено исполнителю' },
  in_progress: { status: 'open', notes: 'в работе' },
  answered_interim: { status: 'open', notes: 'дан промежуточный ответ' },
  paused: { status: 'open', notes: 'приостановлено' },
  on_review: { status: 'open', notes: 'ответ готовится' },
  answered_final: { status: 'closed', notes: 'дан окончательный ответ' },
  closed: { status: 'closed', notes: 'закрыто' },
};

/** The engine statuses GeoReport shows, for a status filter of the standard's. */
export function statusesFor(status: 'open' | 'closed' | undefined): IncidentStatus[] {
  return (Object.keys(STATUS) as IncidentStatus[]).filter((s) => status === undefined || STATUS[s]?.status === status);
}

export function isPublished(i: Incident): boolean {
  return STATUS[i.status] !== undefined;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// Russian phone numbers as people write them: +7 / 8, then ten digits with spaces, dashes, brackets.
const PHONE = /(?:\+7|\b8)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}\b/g;

/** The post's text without the ways to reach its author. */
export function maskContacts(text: string): string {
  return text.replace(EMAIL, '[скрыто]').replace(PHONE, '[скрыто]');
}

export function toService(topic: { id: string; name: string }, groupName: (id: string) => string): Open311Service {
  const dot = topic.id.indexOf('.');
  return { service_code: topic.id, service_name: topic.name, description: topic.name, metadata: false, type: 'realtime', keywords: '', group: groupName(dot > 0 ? topic.id.slice(0, dot) : topic.id) };
}

export function toRequest(i: Incident, d: { topicName: (id: string) => string; bodyName: (id: string) => string }): Open311Request | undefined {
  const s = STATUS[i.status];
  if (!s) return undefined;
  const code = i.subtopic ?? i.topic;
  const body = i.bodyId ?? i.proposedBodyId;
  const answer = [...i.answers].reverse().find((a) => a.kind === 'final') ?? i.answers.at(-1);
  return {
    service_request_id: i.id,
    status: s.status,
    status_notes: s.notes,
    service_name: d.topicName(code),
    service_code: code,
    description: maskContacts(i.text ?? ''),
    agency_responsible: d.bodyName(body),
    // What the body said it will do or did: its latest answer.
    service_notice: answer ? maskContacts(answer.text) : '',
    requested_datetime: i.postedAt ?? i.createdAt,
    updated_datetime: i.updatedAt,
    expected_datetime: nextDue(i)?.dueAt ?? null,
    address: i.territory ?? '',
    address_id: null,
    zipcode: null,
    lat: null,
    long: null,
    media_url: null,
  };
}
