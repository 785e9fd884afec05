import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { OtklikError } from '../core/errors.js';
import { postToPlatform } from './http.js';

const envelopeSchema = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error_code: z.number().int(),
    description: z.string().default(''),
    parameters: z.object({ retry_after: z.number().optional(), migrate_to_chat_id: z.number().optional() }).passthrough().optional(),
  }),
]);

export interface BotApiCall {
  apiUrl: string;
  token: string;
  method: string;
  params: Record<string, unknown>;
  timeoutMs: number;
  /** Words for messages ("telegram getUpdates (source tg-city)"); the URL, which holds the token, never appears. */
  where: string;
  dispatcher?: Dispatcher;
}

/**
 * One Telegram Bot API call, used by the connector (updates, replies) and the notifier: the
 * `{ok, result}` envelope checked, and the platform's errors turned into typed ones — 429 carries
 * `retry_after`, 401/403/404 mean the bot may not do this, 409 a second poller or a webhook.
 */
export async function callBotApi(c: BotApiCall): Promise<unknown> {
  const { status, json, text } = await postToPlatform({
    platform: 'tg',
    where: c.where,
    url: `${c.apiUrl}/bot${c.token}/${c.method}`,
    body: JSON.stringify(c.params),
    contentType: 'application/json',
    timeoutMs: c.timeoutMs,
    ...(c.dispatcher ? { dispatcher: c.dispatcher } : {}),
  });
  const env = envelopeSchema.safeParse(json);
  if (!env.success) {
    throw new OtklikError('PLATFORM_RESPONSE_INVALID', `${c.where}: the response does not match the Bot API envelope (${env.error.issues[0]?.path.join('.') ?? ''})`, {
      details: { platform: 'tg', status, raw: text.slice(0, 2000) },
    });
  }
  const data = env.data;
  if (data.ok) {
    if (data.result === undefined) throw new OtklikError('PLATFORM_RESPONSE_INVALID', `${c.where}: ok without a result`, { details: { platform: 'tg', status, raw: text.slice(0, 2000) } });
    return data.result;
  }
  const details = { platform: 'tg', status, platformCode: data.error_code, description: data.description.slice(0, 300) };
  const message = `${c.where}: ${data.error_code} ${data.description}`.slice(0, 500);
  if (data.error_code === 429) {
    throw new OtklikError('PLATFORM_RATE_LIMITED', message, { details, retryAfterS: data.parameters?.retry_after ?? 5 });
  }
  if (data.error_code === 401 || data.error_code === 403 || data.error_code === 404) throw new OtklikError('PLATFORM_AUTH_FAILED', message, { details });
  // A webhook is set, or another process polls with the same token: only one poller may run.
  if (data.error_code === 409) throw new OtklikError('PLATFORM_CONFLICT', message, { details });
  if (data.error_code >= 500) throw new OtklikError('PLATFORM_UNAVAILABLE', message, { details });
  throw new OtklikError('PLATFORM_ERROR', message, { details });
}
