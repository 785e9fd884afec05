import { z } from 'zod';
import { OtklikError, isOtklikError } from '../../src/core/errors.js';
import type { Connector, ConnectorEnvironment, ConnectorFactory, PollItem, PollOptions, PollResult, SourceDefinition } from '../../src/connector/connector.js';
import { normalizeVkPost } from './normalize.js';
import { postToPlatform } from '../../src/connector/platform-http.js';

export const vkWallOptionsSchema = z
  .object({
    /** The wall: a community is negative (-123456). */
    ownerId: z.number().int().refine((v) => v !== 0, 'owner id cannot be 0'),
    /** VK moved API traffic to api.vk.ru in 2025; links stay on vk.com. */
    apiUrl: z.string().url().default('https://api.vk.ru'),
    version: z.string().regex(/^5\.\d+$/).default('5.199'),
    pageSize: z.number().int().min(10).max(100).default(100),
    /** Pages overlap by this many posts, because offsets shift when posts appear between calls. */
    overlap: z.number().int().min(0).max(50).default(10),
    /** On the very first poll, at most this many of the newest posts are taken (no deep backfill). */
    bootstrapBacklog: z.number().int().min(0).max(1000).default(100),
    timeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
  })
  .strict();

export type VkWallOptions = z.infer<typeof vkWallOptionsSchema>;

const cursorSchema = z.object({
  /** The highest post id taken so far (pinned posts excepted when deciding where to stop). */
  maxSeenId: z.number().int().min(0),
  /** Unix seconds of the last poll: posts edited after it come back as new revisions. */
  checkedAt: z.number().int().min(0),
});
export type VkWallCursor = z.infer<typeof cursorSchema>;

const wallItem = z.object({ id: z.number().int(), is_pinned: z.union([z.literal(0), z.literal(1)]).optional(), edited: z.number().int().optional() }).passthrough();
const envelope = z.union([
  z.object({ response: z.object({ count: z.number().int(), items: z.array(wallItem) }).passthrough() }),
  z.object({ error: z.object({ error_code: z.number().int(), error_msg: z.string().default('') }).passthrough() }),
]);

/** How VK error codes steer the engine (platform reference 1.8). */
function vkError(code: number, msg: string, where: string): OtklikError {
  const message = `${where}: VK error ${code} ${msg}`.slice(0, 500);
  const details = { platform: 'vk', platformCode: code };
  switch (code) {
    case 6:
      return new OtklikError('PLATFORM_RATE_LIMITED', message, { details: { ...details, retryAfterS: 1 } });
    case 9:
      return new OtklikError('PLATFORM_RATE_LIMITED', message, { details: { ...details, retryAfterS: 300 } });
    case 29: // the method's daily quota for this token: nothing to gain before tomorrow
      return new OtklikError('PLATFORM_RATE_LIMITED', message, { details: { ...details, retryAfterS: 6 * 3600 } });
    case 1:
    case 10:
      return new OtklikError('PLATFORM_UNAVAILABLE', message, { details });
    case 5: // token invalid or expired
    case 15: // wall closed or community blocked
    case 18: // owner deleted or banned
    case 27: // a community token cannot read walls
    case 28: // a service token cannot do this
    case 30: // private profile
    case 203: // access to the group denied
      return new OtklikError('PLATFORM_AUTH_FAILED', message, { details });
    default:
      return new OtklikError('PLATFORM_ERROR', message, { details });
  }
}

/**
 * A VK community (or user) wall through `wall.get`, newest first: new posts by id (a pinned post is
 * listed first even when old, so it never decides where to stop), overlapping pages de-duplicated by
 * id, emitted oldest first; posts edited since the last poll come back as new revisions.
 */
export class VkWallConnector implements Connector<VkWallCursor> {
  readonly type = 'vk-wall';
  readonly platform = 'vk' as const;
  readonly coverage = ['walls'] as const;
  readonly cursorSchema = cursorSchema;
  readonly sourceId: string;

  constructor(
    private readonly source: SourceDefinition & { options: VkWallOptions },
    private readonly env: ConnectorEnvironment,
  ) {
    this.sourceId = source.id;
  }

  initialCursor(): VkWallCursor {
    return { maxSeenId: 0, checkedAt: 0 };
  }

  async poll(cursor: VkWallCursor, options: PollOptions): Promise<PollResult<VkWallCursor>> {
    const token = this.env.secret('VK_TOKEN');
    if (!token) throw new OtklikError('PLATFORM_AUTH_FAILED', `source ${this.sourceId}: VK_TOKEN is not set`);
    const o = this.source.options;
    const first = cursor.maxSeenId === 0;
    const fresh = new Map<number, z.infer<typeof wallItem>>();
    const edited = new Map<number, z.infer<typeof wallItem>>();
    for (let offset = 0, pages = 0; pages < 20; pages++, offset += o.pageSize - o.overlap) {
      const page = await this.wallGet(token, offset, o.pageSize);
      for (const item of page.items) {
        if (item.id > cursor.maxSeenId) fresh.set(item.id, item);
        else if (!first && item.edited !== undefined && item.edited > cursor.checkedAt) edited.set(item.id, item);
      }
      const unpinned = page.items.filter((i) => i.is_pinned !== 1);
      const oldest = unpinned[unpinned.length - 1];
      if (first && fresh.size >= o.bootstrapBacklog) break;
      if (page.items.length < o.pageSize || !oldest || oldest.id <= cursor.maxSeenId) break;
    }
    let newest = [...fresh.values()].sort((a, b) => a.id - b.id);
    if (first && newest.length > o.bootstrapBacklog) newest = newest.slice(newest.length - o.bootstrapBacklog);
    const take = newest.slice(0, Math.max(1, options.limit));
    const more = take.length < newest.length;
    const capturedAt = this.env.now().toISOString();
    const ctx = { sourceId: this.sourceId, capturedAt, ...(this.source.territory ? { territory: this.source.territory } : {}) };
    const items: PollItem[] = [];
    for (const raw of [...edited.values(), ...take]) {
      try {
        items.push({ ok: true, post: normalizeVkPost(raw, ctx) });
      } catch (e) {
        if (!isOtklikError(e)) throw e;
        items.push({ ok: false, ref: `post-${raw.id}`, error: e, raw });
      }
    }
    const maxSeenId = Math.max(cursor.maxSeenId, ...take.map((i) => i.id));
    return { items, nextCursor: { maxSeenId, checkedAt: Math.floor(this.env.now().getTime() / 1000) }, more };
  }

  /** One `wall.get`. The token travels in the form body; no error made here repeats the request. */
  private async wallGet(token: string, offset: number, count: number): Promise<{ items: z.infer<typeof wallItem>[] }> {
    const o = this.source.options;
    const where = `vk wall.get (source ${this.sourceId})`;
    const form = new URLSearchParams({ owner_id: String(o.ownerId), offset: String(offset), count: String(count), v: o.version, access_token: token });
    const { status, json, text } = await postToPlatform({
      platform: 'vk',
      where,
      url: `${o.apiUrl}/method/wall.get`,
      body: form.toString(),
      contentType: 'application/x-www-form-urlencoded',
      timeoutMs: o.timeoutMs,
      ...(this.env.http ? { dispatcher: this.env.http } : {}),
    });
    const env = envelope.safeParse(json);
    if (!env.success) {
      throw new OtklikError('PLATFORM_RESPONSE_INVALID', `${where}: the response does not match the VK envelope (${env.error.issues[0]?.path.join('.') ?? ''})`, {
        details: { platform: 'vk', status, raw: text.slice(0, 2000) },
      });
    }
    if ('error' in env.data) throw vkError(env.data.error.error_code, env.data.error.error_msg, where);
    return env.data.response;
  }
}

export const vkWallConnectorFactory: ConnectorFactory<VkWallOptions> = {
  type: 'vk-wall',
  optionsSchema: vkWallOptionsSchema,
  create: (source, env) => new VkWallConnector(source, env),
};
