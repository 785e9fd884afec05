import type { Effect } from '../core/incident/lifecycle.js';
import type { SpikeRecord } from '../core/spikes/spike.js';

/** An event about an incident, for its bodies and maybe the moderators. */
export interface IncidentNotification {
  event: Extract<Effect, { type: 'notify' }>['event'];
  incidentId: string;
  version: number;
  bodyIds: string[];
  moderators: boolean;
  clockId?: string;
}

/** What moderators are told of a surge the spike watch found: the series, the hour, the count against its usual range, the words that rose, the top posts. */
export type SpikeNotice = Pick<SpikeRecord, 'key' | 'kind' | 'topic' | 'territory' | 'hour' | 'count' | 'range' | 'rising' | 'top'>;

/** A surge of posts about a topic in a territory, for the moderators. */
export interface SpikeNotification {
  event: 'spike';
  spike: SpikeNotice;
  bodyIds: string[];
  moderators: true;
}

export type NotificationJob = IncidentNotification | SpikeNotification;

/** One notification to one receiver on one channel. */
export interface Delivery {
  channel: 'telegram' | 'webhook';
  to: string;
  notification: NotificationJob;
}

/** Where notifications wait to go out (a queue in the engine): a slow receiver never blocks an incident. */
export interface NotificationOutbox {
  enqueue(jobs: readonly NotificationJob[]): Promise<void>;
}

/**
 * The channels notifications go out on. A receiver that refuses for good is NOTIFY_REJECTED; one
 * to retry is NOTIFY_FAILED, with its `retryAfterS` set when the channel said how long to wait.
 */
export interface NotificationChannels {
  /** False when the channel is not configured (no bot token): the delivery is skipped. */
  telegram(chatId: string, text: string): Promise<boolean>;
  webhook(url: string, body: Record<string, unknown>, meta: { deliveryId: string; event: string }): Promise<void>;
}
