import { incidentIdFor } from '../core/incident/incident.js';
import type { Actor } from '../core/incident/lifecycle.js';
import { judgeReaction } from '../core/quality/reaction.js';
import { isOtklikError } from '../core/errors.js';
import type { IncidentRepository } from '../ports/incident-repository.js';
import type { IncidentService } from './incident.service.js';

const WATCH: Actor = { id: 'reaction-watch', role: 'system' };

/** A reply in a thread: what the watcher needs of it. */
export interface ThreadReply {
  id: string;
  parentId: string;
  text: string;
  createdAt: string;
  /** The replier's pseudonym (authorKeyOf), when the platform names them. */
  authorKey?: string;
}

/**
 * After a body answers, the connectors keep reading the post's thread; replies written after the
 * first answer and within the window are judged («спасибо, убрали» / «так ничего и не сделали») and
 * recorded on the incident: its residents' satisfaction. Answers are published under the opening
 * post, so the incident is the one that post opened.
 */
export class ReactionRecorder {
  constructor(
    private readonly d: { incidents: Pick<IncidentService, 'act'>; store: Pick<IncidentRepository, 'getMany'>; windowDays: number },
  ) {}

  /** Records the judged replies; returns how many were recorded. */
  async record(replies: readonly ThreadReply[]): Promise<number> {
    if (replies.length === 0 || this.d.windowDays <= 0) return 0;
    const incidents = new Map((await this.d.store.getMany([...new Set(replies.map((r) => incidentIdFor(r.parentId)))])).map((i) => [i.id, i]));
    let recorded = 0;
    for (const r of replies) {
      const incident = incidents.get(incidentIdFor(r.parentId));
      const first = incident?.answers.map((a) => a.publishedAt).sort()[0];
      if (!incident || !first || incident.postIds[0] !== r.parentId) continue;
      const after = Date.parse(r.createdAt) - Date.parse(first);
      if (after < 0 || after > this.d.windowDays * 86_400_000) continue;
      const judged = judgeReaction(r.text);
      if (judged.verdict === 'neutral' || (incident.reactions ?? []).some((x) => x.postId === r.id)) continue;
      try {
        // The author's own reply weighs most; unknown when either side's author is not known.
        const byAuthor = incident.authorKey !== undefined && r.authorKey !== undefined ? { byAuthor: incident.authorKey === r.authorKey } : {};
        const after = await this.d.incidents.act(incident.id, { type: 'reaction', postId: r.id, at: r.createdAt, verdict: judged.verdict, cues: judged.cues.slice(0, 10), ...byAuthor }, WATCH);
        if (after.version !== incident.version) recorded++;
        incidents.set(incident.id, after);
      } catch (e) {
        // The incident moved on (merged) or another worker recorded it meanwhile: nothing to add.
        if (!isOtklikError(e) || (e.code !== 'INCIDENT_TRANSITION_INVALID' && e.code !== 'INCIDENT_VERSION_CONFLICT')) throw e;
      }
    }
    return recorded;
  }
}
