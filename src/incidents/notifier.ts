import { DelayedError, type Job, type Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { isOtklikError } from '../core/errors.js';
import { effectiveNotify, type BodyDirectory, type NotifyOverride } from '../core/bodies/bodies.js';
import type { NotifyOverrides } from '../ports/notify-targets.js';
import { shortHash } from '../core/revision.js';
import type { IncidentRepository } from '../ports/incident-repository.js';
import { notificationPayload } from '../adapters/notify/notification-text.js';
import { postWebhook } from '../adapters/notify/webhook.js';
import { sendTelegram } from '../adapters/notify/telegram.js';
import { notifyJobOptions, type NotificationJob } from './notification-queue.js';
import { noCounters, type Counters } from '../ports/counters.js';

export interface Delivery {
  channel: 'telegram' | 'webhook';
  to: string;
  notification: NotificationJob;
}

export interface NotifierDeps {
  config: Config;
  bodies: BodyDirectory;
  store: IncidentRepository;
  queue: Queue;
  log: Logger;
  /** Targets set through the API, read on every notification so changes apply without a restart. */
  overrides?: NotifyOverrides;
  /** Deliveries and failed attempts, for /metrics. */
  counters?: Counters;
}

/**
 * Delivers notifications in two steps on one queue: an `event` job expands into one `deliver` job
 * per channel, so each receiver is retried on its own and a slow one delays nobody else.
 */
export class Notifier {
  private readonly counters: Counters;

  constructor(private readonly d: NotifierDeps) {
    this.counters = d.counters ?? noCounters;
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
      if (this.d.config.MODERATORS_TELEGRAM_CHAT_ID) out.push({ channel: 'telegram', to: this.d.config.MODERATORS_TELEGRAM_CHAT_ID, notification: n });
      if (this.d.config.MODERATORS_WEBHOOK_URL) out.push({ channel: 'webhook', to: this.d.config.MODERATORS_WEBHOOK_URL, notification: n });
    }
    // The same receiver named twice (a body and the moderators) hears it once.
    return out.filter((t, i) => out.findIndex((u) => u.channel === t.channel && u.to === t.to) === i);
  }

  async expand(job: Job<NotificationJob>): Promise<{ deliveries: number }> {
    const deliveries = await this.targets(job.data);
    if (deliveries.length === 0) {
      this.d.log.info({ incidentId: job.data.incidentId, event: job.data.event, bodyIds: job.data.bodyIds }, 'notification: no channel configured for these receivers');
      return { deliveries: 0 };
    }
    await this.d.queue.addBulk(
      deliveries.map((t) => ({
        name: 'deliver',
        data: t,
        opts: notifyJobOptions(
          { attempts: this.d.config.NOTIFY_ATTEMPTS, backoffMs: this.d.config.NOTIFY_BACKOFF_MS },
          `dv.${job.id ?? ''}.${t.channel}.${shortHash([t.to]).slice(0, 10)}`,
        ),
      })),
    );
    return { deliveries: deliveries.length };
  }

  async deliver(job: Job<Delivery>, token?: string): Promise<{ delivered: string }> {
    const { channel, to, notification } = job.data;
    const incident = await this.d.store.get(notification.incidentId);
    const { text, body } = notificationPayload(notification, incident);
    try {
      if (channel === 'telegram') {
        const botToken = this.d.config.TELEGRAM_BOT_TOKEN;
        if (!botToken) {
          this.d.log.warn({ chatId: to }, 'telegram notification skipped: TELEGRAM_BOT_TOKEN is not set');
          return { delivered: 'skipped' };
        }
        await sendTelegram(this.d.config.TELEGRAM_API_URL, botToken, to, text, this.d.config.NOTIFY_TIMEOUT_MS);
      } else {
        await postWebhook(to, body, {
          ...(this.d.config.WEBHOOK_SECRET ? { secret: this.d.config.WEBHOOK_SECRET } : {}),
          deliveryId: job.id ?? '',
          event: notification.event,
          timeoutMs: this.d.config.NOTIFY_TIMEOUT_MS,
        });
      }
    } catch (e) {
      // Flood control: wait exactly as long as Telegram says, without spending an attempt.
      const retryAfter = isOtklikError(e) ? e.details.retryAfterS : undefined;
      if (typeof retryAfter === 'number' && token) {
        await job.moveToDelayed(Date.now() + retryAfter * 1000, token);
        throw new DelayedError();
      }
      await this.counters.count([{ name: 'otklik_notification_failures_total', labels: { channel, code: isOtklikError(e) ? e.code : 'UNKNOWN' }, value: 1 }]);
      throw e;
    }
    await this.counters.count([{ name: 'otklik_notifications_delivered_total', labels: { channel }, value: 1 }]);
    this.d.log.info({ incidentId: notification.incidentId, event: notification.event, channel }, 'notification delivered');
    return { delivered: channel };
  }
}
