import { writeFileSync } from 'node:fs';
import { Dispatcher, MockAgent } from 'undici';
import { connectorConformance, type PlatformFixture } from '../../helpers/connector-conformance.js';
import { ReplayConnector } from '../../../connectors/replay/replay.connector.js';
import { TelegramConnector, telegramOptionsSchema } from '../../../connectors/telegram/telegram.connector.js';
import { VkWallConnector, vkWallOptionsSchema } from '../../../connectors/vk/vk-wall.connector.js';
import { writeCorpus } from '../../helpers/corpus.js';

const env = (extra: Record<string, unknown> = {}) => ({ resolvePath: (p: string) => p, now: () => new Date('2026-11-21T10:00:00Z'), secret: () => undefined, ...extra });

/** A replay file that grows: publishing appends lines; an edit appends the post again with an edit time. */
connectorConformance('replay', (): PlatformFixture => {
  const file = writeCorpus([]);
  const lines: string[] = [];
  const vk = (i: number, text: string, edited?: number) => JSON.stringify({ platform: 'vk', kind: 'post', item: { id: i, owner_id: -1, from_id: 5, date: 1763730000 + i, text, ...(edited ? { edited } : {}) } });
  let published = 0;
  const flush = () => writeFileSync(file, lines.join('\n') + (lines.length > 0 ? '\n' : ''));
  return {
    publish(n) {
      for (let i = published + 1; i <= n; i++) lines.push(vk(i, `post ${i}`));
      published = Math.max(published, n);
      flush();
    },
    edit(i, text) {
      lines.push(vk(i, text, 1763740000));
      flush();
    },
    connector: () => new ReplayConnector({ id: 'replay', type: 'replay', options: { file, ratePerSecond: 0 } }, env()),
  };
});

/** Forwards to whichever mock agent is current, so a test can swap the platform's behaviour under a live connector. */
class SwitchDispatcher extends Dispatcher {
  constructor(public current: MockAgent) {
    super();
  }
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return this.current.dispatch(options, handler);
  }
}

type Interceptor = ReturnType<ReturnType<MockAgent['get']>['intercept']>;

/**
 * A mock platform endpoint behind a switchable dispatcher: `respond` answers every call; `failWith`
 * makes the next call fail one way, then the endpoint answers normally again.
 */
function switchableEndpoint(origin: string, path: string, respond: (body: string) => Record<string, unknown>) {
  const build = (failure?: (i: Interceptor) => void): MockAgent => {
    const a = new MockAgent();
    a.disableNetConnect();
    const pool = a.get(origin);
    if (failure) failure(pool.intercept({ path, method: 'POST' }));
    pool
      .intercept({ path, method: 'POST' })
      .reply(200, (o) => respond(typeof o.body === 'string' ? o.body : ''))
      .persist();
    return a;
  };
  const http = new SwitchDispatcher(build());
  return { http, failWith: (f: (i: Interceptor) => void) => () => void (http.current = build(f)) };
}

/** A Telegram that keeps an update log and answers getUpdates by offset; a failure answers the next call only. */
connectorConformance('telegram', (): PlatformFixture => {
  const TOKEN = '1:conformance-token';
  const chat = { id: -1001, type: 'channel', username: 'c' };
  const log: Record<string, unknown>[] = [];
  let posts = 0;
  const { http, failWith } = switchableEndpoint('https://api.telegram.org', `/bot${TOKEN}/getUpdates`, (raw) => {
    const b = JSON.parse(raw || '{}') as { offset?: number; limit: number };
    const from = b.offset ?? 1;
    return { ok: true, result: log.filter((u) => (u.update_id as number) >= from).slice(0, b.limit) };
  });
  return {
    publish(n) {
      for (let i = posts + 1; i <= n; i++) log.push({ update_id: log.length + 1, channel_post: { message_id: i, chat, date: 1763734000 + i, text: `post ${i}` } });
      posts = Math.max(posts, n);
    },
    edit(i, text) {
      log.push({ update_id: log.length + 1, edited_channel_post: { message_id: i, chat, date: 1763734000 + i, edit_date: 1763740000, text } });
    },
    connector: () => new TelegramConnector({ id: 'tg', type: 'telegram', options: telegramOptionsSchema.parse({}) }, env({ secret: () => TOKEN, http })),
    rateLimitSeconds: 7,
    fail: {
      rateLimit: failWith((i) => i.reply(429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } })),
      serverError: failWith((i) => i.reply(502, { ok: false, error_code: 502, description: 'Bad Gateway' })),
      timeout: failWith((i) => i.replyWithError(Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }))),
      auth: failWith((i) => i.reply(401, { ok: false, error_code: 401, description: 'Unauthorized' })),
      malformed: failWith((i) => i.reply(200, '{"ok":true,"result":[{"update_id":', { headers: { 'content-type': 'application/json' } })),
    },
  };
});

/** A VK wall, newest first, with an old pinned post listed first (as VK does); errors arrive with HTTP 200. */
connectorConformance('vk-wall', (): PlatformFixture => {
  const TOKEN = 'vk1.a.conformance-token';
  const owner = -210345001;
  const posts = new Map<number, { id: number; text: string; edited?: number }>();
  let pinnedId: number | undefined;
  const { http, failWith } = switchableEndpoint('https://api.vk.ru', '/method/wall.get', (raw) => {
    const q = new URLSearchParams(raw);
    const offset = Number(q.get('offset'));
    const count = Number(q.get('count'));
    const newestFirst = [...posts.values()].sort((x, y) => y.id - x.id).filter((p) => p.id !== pinnedId);
    const pinned = pinnedId === undefined ? [] : [posts.get(pinnedId)].filter((p) => p !== undefined);
    const all = [...pinned.map((p) => ({ ...p, is_pinned: 1 })), ...newestFirst];
    const items = all.slice(offset, offset + count).map((p) => ({ ...p, owner_id: owner, from_id: owner, date: 1763730000 + p.id, post_type: 'post' }));
    return { response: { count: all.length, items } };
  });
  return {
    publish(n) {
      for (let i = 1; i <= n; i++) if (!posts.has(i)) posts.set(i, { id: i, text: `post ${i}` });
      if (n >= 1) pinnedId = 1;
    },
    edit(i, text) {
      posts.set(i, { id: i, text, edited: Math.floor(Date.parse('2026-11-21T10:00:00Z') / 1000) + 60 });
    },
    connector: () => new VkWallConnector({ id: 'vk', type: 'vk-wall', options: vkWallOptionsSchema.parse({ ownerId: owner, pageSize: 10, overlap: 2 }) }, env({ secret: () => TOKEN, http })),
    rateLimitSeconds: 1,
    fail: {
      rateLimit: failWith((i) => i.reply(200, { error: { error_code: 6, error_msg: 'Too many requests per second', request_params: [] } })),
      serverError: failWith((i) => i.reply(502, '<html>502 Bad Gateway</html>')),
      timeout: failWith((i) => i.replyWithError(Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }))),
      auth: failWith((i) => i.reply(200, { error: { error_code: 5, error_msg: 'User authorization failed: invalid access_token (4).', request_params: [] } })),
      malformed: failWith((i) => i.reply(200, '{"response":{"count":2,"items":[{"id":', { headers: { 'content-type': 'application/json' } })),
    },
  };
});
