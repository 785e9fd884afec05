import type { Incident } from '../incident/incident.js';
import { judgeAnswer } from './answer-quality.js';
import { satisfaction } from './reaction.js';

/**
 * What an incident says about how well its body handled it, in counts a rating can sum: answers
 * given and how many were отписки, the residents' verdict on them, reopenings (the problem came
 * back) and answers sent back by review. Pure; the search index stores it with each incident.
 */
export interface IncidentQuality {
  answers: number;
  formal: number;
  verdict: 'satisfied' | 'unsatisfied' | null;
  reopenings: number;
  returned: number;
}

export function incidentQuality(i: Pick<Incident, 'answers' | 'reactions' | 'reopenings' | 'returns'>): IncidentQuality {
  return {
    answers: i.answers.length,
    formal: i.answers.filter((a) => judgeAnswer(a.text).verdict === 'formal').length,
    verdict: satisfaction(i.reactions ?? []).verdict,
    reopenings: i.reopenings ?? 0,
    returned: (i.returns ?? []).length,
  };
}

/** The same, summed over a body's incidents. */
export interface QualityMeasure {
  incidents: number;
  answers: number;
  formal: number;
  satisfied: number;
  unsatisfied: number;
  /** Incidents reopened at least once. */
  reopened: number;
  returned: number;
}

export const NO_QUALITY: QualityMeasure = { incidents: 0, answers: 0, formal: 0, satisfied: 0, unsatisfied: 0, reopened: 0, returned: 0 };

export function addQuality(m: QualityMeasure, q: IncidentQuality): QualityMeasure {
  return {
    incidents: m.incidents + 1,
    answers: m.answers + q.answers,
    formal: m.formal + q.formal,
    satisfied: m.satisfied + (q.verdict === 'satisfied' ? 1 : 0),
    unsatisfied: m.unsatisfied + (q.verdict === 'unsatisfied' ? 1 : 0),
    reopened: m.reopened + (q.reopenings > 0 ? 1 : 0),
    returned: m.returned + q.returned,
  };
}
