import type { Logger } from 'pino';
import { isOtklikError } from '../core/errors.js';
import { effectiveNotify, type BodyDirectory, type NotifyOverride } from '../core/bodies/bodies.js';
import type { IncidentRepository } from '../ports/incident-repository.js';
import type { NotifyOverrides } from '../ports/notify-targets.js';
import type { Delivery, NotificationChannels, NotificationJob } from '../ports/notifications.js';
import { noCounters, type Counters } from '../ports/counters.js';
import { notificationPayload, spikePayload, type NoticeWords } from './notification-text.js';

export interface NotifierDeps {
  bodies: BodyDirectory;
  store: Pick<IncidentRepository, 'get'>;
  channels: NotificationChannels;
  log: Logger;
  /** The moderators' own receivers (a Telegram chat, a webhook), when configured. */
  moderators?: { telegramChatId?: string; webhookUrl?: string };
  /** Targets set through the API, read on every notification so changes apply without a restart. */
  overrides?: NotifyOverrides;
  /** Deliveries and failed attempts, for /metrics. */
  counters?: Counters;
  /** Topic names (the taxonomy's) and the control centre's zone, so texts read as people speak; ids and Moscow time without. */
  topicName?: (id: string) => string;
  zone?: string;
}

/**
 * Who hears of an incident event and what they are told: an event becomes one delivery per
 * receiver (the bodies' targets, set in the rules or through the API, and the moderators'), and
 * each delivery goes out on its channel with a Russian text (and a JSON body for webhooks).
 */
export class Notifier {
  private readonly counters: Counters;

  private readonly words: NoticeWords;

  constructor(private readonly d: NotifierDeps) {
    this.counters = d.counters ?? noCounters;
    const bodies = d.bodies;
    this.words = {
      topicName: d.topicName ?? ((id) => id),
      bodyName: (id) => (bodies.has(id) ? bodies.get(id).name : id),
      // A body is told in its own time; the moderators in the control centre's.
      zoneOf: (id) => (id && bodies.has(id) ? bodies.get(id).timeZone : (d.zone ?? 'Europe/Moscow')),
    };
  }

  async targets(n: NotificationJob): Promise<Delivery[]> {
    const out: Delivery[] = [];
    const known = n.bodyIds.filter((id) => this.d.bodies.has(id));
    const overrides = this.d.overrides ? await this.d.overrides.getMany(known) : new Map<string, NotifyOverride>();
    for (const id of known) {
      const notify = effectiveNotify(this.d.bodies.get(id), overrides.get(id)).targets;
      if (notify.telegramChatId) out.push({ channel: 'telegram', to: notify.telegramChatId, notification: n });
      if (notify.webhookUrl) out.push({ channel: 'webhook', to: notify.webhookUrl, notification: n });
    }
    if (n.moderators) {
      if (this.d.moderators?.telegramChatId) out.push({ channel: 'telegram', to: this.d.moderators.telegramChatId, notification: n });
      if (this.d.moderators?.webhookUrl) out.push({ channel: 'webhook', to: this.d.moderators.webhookUrl, notification: n });
    }
    // The same receiver named twice (a body and the moderators) hears it once.
    const unique = out.filter((t, i) => out.findIndex((u) => u.channel === t.channel && u.to === t.to) === i);
    if (unique.length === 0) this.d.log.info({ ...(n.event === 'spike' ? { spike: n.spike.key } : { incidentId: n.incidentId }), event: n.event, bodyIds: n.bodyIds }, 'notification: no channel configured for these receivers');
    return unique;
  }

  /**
   * Sends one delivery. A failure is counted and thrown as it is: NOTIFY_REJECTED is final,
   * NOTIFY_FAILED is retried (after `retryAfterS` when the channel named a wait).
   */
  async deliver(d: Delivery, deliveryId: string): Promise<{ delivered: string }> {
    const { channel, to, notification } = d;
    const { text, body } = notification.event === 'spike' ? spikePayload(notification.spike, this.words) : notificationPayload(notification, await this.d.store.get(notification.incidentId), this.words);
    try {
      if (channel === 'telegram') {
        if (!(await this.d.channels.telegram(to, text))) {
          this.d.log.warn({ chatId: to }, 'telegram notification skipped: TELEGRAM_BOT_TOKEN is not set');
          return { delivered: 'skipped' };
        }
      } else {
        await this.d.channels.webhook(to, body, { deliveryId, event: notification.event });
      }
    } catch (e) {
      if (!isOtklikError(e) || e.retryAfterS === undefined) {
        await this.counters.count([{ name: 'otklik_notification_failures_total', labels: { channel, code: isOtklikError(e) ? e.code : 'UNKNOWN' }, value: 1 }]);
      }
      throw e;
    }
    await this.counters.count([{ name: 'otklik_notifications_delivered_total', labels: { channel }, value: 1 }]);
    this.d.log.info({ ...(notification.event === 'spike' ? { spike: notification.spike.key } : { incidentId: notification.incidentId }), event: notification.event, channel }, 'notification delivered');
    return { delivered: channel };
  }
}
