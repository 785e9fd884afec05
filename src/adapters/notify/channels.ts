import { Agent, type Dispatcher } from 'undici';
import { publicOnlyLookup } from '../../platform/private-address.js';
import type { NotificationChannels } from '../../ports/notifications.js';
import { postWebhook } from './webhook.js';
import { sendTelegram } from './telegram.js';

/** What the channels need to know, and nothing more of the engine's config. */
export interface ChannelSettings {
  telegramApiUrl: string;
  /** The bot that sends notifications; without it Telegram deliveries are skipped. */
  telegramBotToken?: string;
  /** Signs webhook bodies (HMAC-SHA256) when set. */
  webhookSecret?: string;
  timeoutMs: number;
  /** The HTTP dispatcher (tests inject undici's MockAgent). */
  http?: Dispatcher;
  /** Webhooks to internal addresses are refused unless allowed (NOTIFY_ALLOW_INTERNAL_TARGETS). */
  allowInternalTargets?: boolean;
}

/** Notifications over the Telegram Bot API and signed webhooks. */
export class HttpNotificationChannels implements NotificationChannels {
  /** Webhooks connect through this: names that resolve to internal addresses are refused at connect time. */
  private readonly webhookHttp: Dispatcher | undefined;

  constructor(private readonly s: ChannelSettings) {
    this.webhookHttp = s.http ?? (s.allowInternalTargets === true ? undefined : new Agent({ connect: { lookup: publicOnlyLookup } }));
  }

  async telegram(chatId: string, text: string): Promise<boolean> {
    if (!this.s.telegramBotToken) return false;
    await sendTelegram(this.s.telegramApiUrl, this.s.telegramBotToken, chatId, text, this.s.timeoutMs, this.s.http);
    return true;
  }

  async webhook(url: string, body: Record<string, unknown>, meta: { deliveryId: string; event: string }): Promise<void> {
    await postWebhook(url, body, {
      ...(this.s.webhookSecret ? { secret: this.s.webhookSecret } : {}),
      deliveryId: meta.deliveryId,
      event: meta.event,
      timeoutMs: this.s.timeoutMs,
      refuseInternal: this.s.allowInternalTargets !== true,
      ...(this.webhookHttp ? { dispatcher: this.webhookHttp } : {}),
    });
  }
}
