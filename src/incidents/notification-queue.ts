import type { JobsOptions, Queue } from 'bullmq';
import type { Effect } from '../core/incident/lifecycle.js';

/** What the notifier delivers: an event about an incident, to bodies and maybe the moderators. */
export interface NotificationJob {
  event: Extract<Effect, { type: 'notify' }>['event'];
  incidentId: string;
  version: number;
  bodyIds: string[];
  moderators: boolean;
  clockId?: string;
}

export interface NotifyRetry {
  attempts: number;
  backoffMs: number;
}

/** Options of every notification job: retried with backoff, failures kept a week. */
export function notifyJobOptions(retry: NotifyRetry, jobId: string): JobsOptions {
  return { jobId, attempts: retry.attempts, backoff: { type: 'exponential', delay: retry.backoffMs }, removeOnComplete: { count: 1000 }, removeOnFail: { age: 7 * 86_400 } };
}

/** Notifications go through their own queue: a slow or failing receiver never blocks an incident. */
export class NotificationQueue {
  constructor(
    private readonly queue: Queue,
    private readonly retry: NotifyRetry,
  ) {}

  async enqueue(jobs: readonly NotificationJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue.addBulk(
      jobs.map((j) => ({
        name: j.event,
        data: j,
        // One notification per incident version and event: a retried commit does not notify twice.
        opts: notifyJobOptions(this.retry, `nt.${j.incidentId}.${j.version}.${j.event}`),
      })),
    );
  }
}
