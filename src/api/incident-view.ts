import type { BodyDirectory } from '../core/bodies/bodies.js';
import type { Incident } from '../core/incident/incident.js';
import { isAtRisk, nextDue } from '../core/incident/incident-query.js';
import { judgeAnswer, type AnswerQuality } from '../core/quality/answer-quality.js';
import { satisfaction } from '../core/quality/reaction.js';

/** What the console shows of an incident besides the incident itself: whose it is and its deadline. */
export interface IncidentView extends Omit<Incident, 'answers' | 'review'> {
  /** The final answer waiting for review, judged like the published ones. */
  review?: NonNullable<Incident['review']> & { quality: AnswerQuality };
  /** Each answer with its judged quality: an «отписка» or a substantive answer, and the cues found. */
  answers: (Incident['answers'][number] & { quality: AnswerQuality })[];
  /** What the thread made of the answers: satisfied and unsatisfied replies, and their share (null: nobody said). */
  satisfaction?: ReturnType<typeof satisfaction>;
  bodyName?: string;
  proposedBodyName?: string;
  /** The zone of the body the incident is with: responders see deadlines in it. */
  timeZone?: string;
  sla?: { dueAt: string; kind: string; breached: boolean; atRisk: boolean; explain?: string };
}

export function incidentView(i: Incident, bodies: BodyDirectory): IncidentView {
  const body = i.bodyId && bodies.has(i.bodyId) ? bodies.get(i.bodyId) : undefined;
  const proposed = bodies.has(i.proposedBodyId) ? bodies.get(i.proposedBodyId) : undefined;
  const due = nextDue(i);
  const { review, ...rest } = i;
  return {
    ...rest,
    answers: i.answers.map((a) => ({ ...a, quality: judgeAnswer(a.text) })),
    ...(review ? { review: { ...review, quality: judgeAnswer(review.text) } } : {}),
    ...(i.reactions && i.reactions.length > 0 ? { satisfaction: satisfaction(i.reactions) } : {}),
    ...(body ? { bodyName: body.name, timeZone: body.timeZone } : {}),
    ...(proposed ? { proposedBodyName: proposed.name } : {}),
    ...(due?.dueAt
      ? { sla: { dueAt: due.dueAt, kind: due.kind, breached: due.breachedAt !== undefined, atRisk: isAtRisk(i), ...(due.explain ? { explain: due.explain } : {}) } }
      : {}),
  };
}
