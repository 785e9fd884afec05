import { DelayedError, type Job } from 'bullmq';
import { isOtklikError } from '../../core/errors.js';
import type { Delivery, NotificationJob } from '../../ports/notifications.js';
import type { NotificationQueue } from './notification-queue.js';

/**
 * The notification queue's worker: an event job becomes one `deliver` job per receiver; a deliver
 * job sends. When a channel says how long to wait (Telegram's retry_after), the job waits exactly
 * that long without spending an attempt.
 */
/** The notifier's two steps, as the incident side provides them (incidents/notifier.ts). */
export interface NotificationSteps {
  targets(n: NotificationJob): Promise<Delivery[]>;
  deliver(d: Delivery, deliveryId: string): Promise<Record<string, unknown>>;
}

export function notifyProcessor(notifier: NotificationSteps, queue: Pick<NotificationQueue, 'deliverEach'>) {
  return async (job: Job, token?: string): Promise<Record<string, unknown>> => {
    if (job.name !== 'deliver') {
      const deliveries = await notifier.targets(job.data as NotificationJob);
      await queue.deliverEach(job.id ?? '', deliveries);
      return { deliveries: deliveries.length };
    }
    try {
      return await notifier.deliver(job.data as Delivery, job.id ?? '');
    } catch (e) {
      const retryAfter = isOtklikError(e) ? e.retryAfterS : undefined;
      if (typeof retryAfter === 'number' && token) {
        await job.moveToDelayed(Date.now() + retryAfter * 1000, token);
        throw new DelayedError();
      }
      throw e;
    }
  };
}
