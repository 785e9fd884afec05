import { shortHash } from '../core/revision.js';
import { toJobIdPart } from '../core/post.js';
import type { IncidentMirror } from '../ports/incident-mirror.js';
import type { MirroredIncident } from '../ports/search-index.js';
import type { IndexJob } from './payloads.js';
import type { StageQueues } from './queues.js';

/**
 * The incident mirror as the index queue's producer: incidents after a change, with their events,
 * become one index job per call (the index stage writes them). The job id is derived from the
 * incidents and their versions, so a retried change enqueues nothing twice.
 */
export class IndexQueueMirror implements IncidentMirror {
  constructor(private readonly queues: Pick<StageQueues, 'add'>) {}

  async mirror(items: readonly MirroredIncident[]): Promise<void> {
    if (items.length === 0) return;
    const first = items[0] as MirroredIncident;
    const jobId = items.length === 1 ? `ix.inc.${toJobIdPart(first.incident.id)}.${first.incident.version}` : `ix.inc.${shortHash(items.map((i) => `${i.incident.id}@${i.incident.version}`))}`;
    await this.queues.add('index', { items: [], incidents: [...items] } satisfies IndexJob, jobId);
  }
}
