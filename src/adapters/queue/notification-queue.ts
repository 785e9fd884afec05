import type { JobsOptions, Queue } from 'bullmq';
import { shortHash } from '../../core/revision.js';
import type { Delivery, NotificationJob, NotificationOutbox } from '../../ports/notifications.js';

export interface NotifyRetry {
  attempts: number;
  backoffMs: number;
}

/** Options of every notification job: retried with backoff, failures kept a week. */
export function notifyJobOptions(retry: NotifyRetry, jobId: string): JobsOptions {
  return { jobId, attempts: retry.attempts, backoff: { type: 'exponential', delay: retry.backoffMs }, removeOnComplete: { count: 1000 }, removeOnFail: { age: 7 * 86_400 } };
}

/**
 * Notifications go through their own queue, in two steps: an event job (`enqueue`) expands into one
 * `deliver` job per receiver (`deliverEach`), so each is retried on its own and a slow one delays
 * nobody. Job ids are derived from what they carry: a retried step enqueues nothing twice.
 */
export class NotificationQueue implements NotificationOutbox {
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
        // One notification per incident version and event (a retried commit does not notify
        // twice), and one per surge (a repeated scan does not either).
        opts: notifyJobOptions(this.retry, j.event === 'spike' ? `nt.spike.${shortHash([j.spike.key]).slice(0, 16)}` : `nt.${j.incidentId}.${j.version}.${j.event}`),
      })),
    );
  }

  async deliverEach(eventJobId: string, deliveries: readonly Delivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.queue.addBulk(deliveries.map((t) => ({ name: 'deliver', data: t, opts: notifyJobOptions(this.retry, `dv.${eventJobId}.${t.channel}.${shortHash([t.to]).slice(0, 10)}`) })));
  }
}
