import { writeFileSync } from 'node:fs';
import { connectorConformance, type PlatformFixture } from '../../helpers/connector-conformance.js';
import { ReplayConnector } from '../../../connectors/replay/replay.connector.js';
import { TelegramConnector, telegramOptionsSchema } from '../../../connectors/telegram/telegram.connector.js';
import { TelegramWebConnector, telegramWebOptionsSchema } from '../../../connectors/telegram/telegram-web.connector.js';
import { VkWallConnector, vkWallOptionsSchema } from '../../../connectors/vk/vk-wall.connector.js';
import { VkSearchConnector, vkSearchOptionsSchema } from '../../../connectors/vk/vk-search.connector.js';
import { OkGroupConnector, okGroupOptionsSchema } from '../../../connectors/ok/ok-group.connector.js';
import type { ConnectorEnvironment } from '../../../src/connector/connector.js';
import { writeCorpus } from '../../helpers/corpus.js';
import { failures } from '../../fixtures/http.js';
import { FakeVk, VK_COMMUNITY_TOKEN, VK_TOKEN, VK_USER_TOKEN } from '../../fixtures/vk.js';
import { FakeOk, OK_CREDENTIALS } from '../../fixtures/ok.js';
import { FakeTelegram, TG_TOKEN } from '../../fixtures/telegram.js';
import { MemoryBotUpdateHub } from '../../../src/connector/bot-update-hub.js';
import { TelegramMtprotoConnector, telegramMtprotoOptionsSchema } from '../../../connectors/telegram-mtproto/telegram-mtproto.connector.js';
import { FakeGramClient, rpcError } from '../../fixtures/telegram-mtproto.js';
import { FakeTme } from '../../fixtures/telegram-web.js';

const NOW = new Date('2026-11-21T10:00:00Z');
const env = (extra: Partial<ConnectorEnvironment> = {}): ConnectorEnvironment => ({ resolvePath: (p: string) => p, now: () => NOW, secret: () => undefined, ...extra });
const timeout = failures.timeout;
const serverError = failures.serverError;

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

/** Telegram Bot API: an update log read by offset; deletions are not observable there (platform reference 3.4). */
connectorConformance('telegram', (): PlatformFixture => {
  const tg = new FakeTelegram();
  // Stands for the engine's Redis: outlives one connector, so a restarted source finds its inbox.
  const hub = new MemoryBotUpdateHub();
  let posts = 0;
  return {
    publish(n) {
      for (let i = posts + 1; i <= n; i++) tg.channelPost(i, `post ${i}`);
      posts = Math.max(posts, n);
    },
    edit: (i, text) => tg.editChannelPost(i, text),
    connector: () => new TelegramConnector({ id: 'tg', type: 'telegram', options: telegramOptionsSchema.parse({}) }, env({ secret: (n) => (n === 'TELEGRAM_BOT_TOKEN' ? TG_TOKEN : undefined), http: tg.http, botUpdates: hub })),
    rateLimitSeconds: 7,
    fail: {
      rateLimit: () => tg.failNextWith(429, 'Too Many Requests: retry after 7', { retry_after: 7 }),
      serverError: () => tg.origin.failNext(serverError),
      timeout: () => tg.origin.failNext(timeout),
      reset: () => tg.origin.failNext(failures.reset),
      auth: () => tg.failNextWith(401, 'Unauthorized'),
      malformed: () => tg.origin.failNext(failures.truncated('{"ok":true,"result":[{"update_id":')),
    },
    reply: {
      target: {},
      // An answer to a channel post replies to its copy in the discussion group.
      answers: (i) => tg.sent.filter((m) => m.reply_to !== undefined && m.reply_to === tg.copies.get(i)?.message_id).length,
      loseNextResponse: () => tg.origin.loseNextResponse(),
      idempotentAfterLostResponse: false,
    },
  };
});

const OWNER = -210345001;

/**
 * A VK community wall: errors with HTTP 200, pages that overlap, comments, answers with a guid; the
 * fake holds every call and answer to VK's JSON schema. Read with the default service token (a call
 * each) and with a user token (`execute` batches).
 */
for (const tokenType of ['service', 'user'] as const) {
  connectorConformance(`vk-wall (${tokenType} token)`, (): PlatformFixture => {
    const vk = new FakeVk();
    return {
      publish(n) {
        for (let i = 1; i <= n; i++) if (!vk.posts.has(`${OWNER}_${i}`)) vk.publish(OWNER, i, `post ${i}`);
      },
      edit(i, text) {
        const p = vk.posts.get(`${OWNER}_${i}`);
        if (p) Object.assign(p, { text, edited: Math.floor(NOW.getTime() / 1000) + 60 });
      },
      remove: (i) => void vk.posts.delete(`${OWNER}_${i}`),
      pin: (i) => {
        const p = vk.posts.get(`${OWNER}_${i}`);
        if (p) p.is_pinned = 1;
      },
      connector: () =>
        new VkWallConnector(
          { id: 'vk', type: 'vk-wall', options: vkWallOptionsSchema.parse({ ownerId: OWNER, pageSize: 10, overlap: 2, tokenType }) },
          env({ secret: (n) => ({ VK_TOKEN: tokenType === 'user' ? VK_USER_TOKEN : VK_TOKEN, ENSK_VK: VK_COMMUNITY_TOKEN })[n], http: vk.http }),
        ),
      rateLimitSeconds: 1,
      fail: {
        rateLimit: () => vk.failNextWith(6, 'Too many requests per second'),
        serverError: () => vk.origin.failNext(serverError),
        timeout: () => vk.origin.failNext(timeout),
        reset: () => vk.origin.failNext(failures.reset),
        auth: () => vk.failNextWith(5, 'User authorization failed: invalid access_token (4).'),
        malformed: () => vk.origin.failNext(failures.truncated('{"response":{"count":2,"items":[{"id":')),
      },
      reply: {
        target: { credentialsRef: 'ENSK_VK' },
        answers: (i) => [...vk.answers.values()].filter((a) => a.post_id === i).length,
        loseNextResponse: () => vk.origin.loseNextResponse(),
        idempotentAfterLostResponse: true,
      },
    };
  });
}

/** VK keyword search: every published post carries the key word; edits are re-found in the overlap window. */
connectorConformance('vk-search', (): PlatformFixture => {
  const vk = new FakeVk();
  // Inside the overlap window of every poll: search sees what was indexed late, once.
  const at = Math.floor(NOW.getTime() / 1000) - 300;
  return {
    publish(n) {
      for (let i = 1; i <= n; i++) if (!vk.posts.has(`-5_${i}`)) vk.publish(-5, i, `post ${i}`, at + i);
    },
    edit(i, text) {
      const p = vk.posts.get(`-5_${i}`);
      if (p) Object.assign(p, { text, edited: at + 100 });
    },
    connector: () => new VkSearchConnector({ id: 'vk-q', type: 'vk-search', options: vkSearchOptionsSchema.parse({ queries: [{ id: 'posts', query: 'post' }], pageSize: 10 }) }, env({ secret: (n) => (n === 'VK_TOKEN' ? VK_TOKEN : undefined), http: vk.http })),
    rateLimitSeconds: 300,
    fail: {
      rateLimit: () => vk.failNextWith(9, 'Flood control'),
      serverError: () => vk.origin.failNext(serverError),
      timeout: () => vk.origin.failNext(timeout),
      reset: () => vk.origin.failNext(failures.reset),
      auth: () => vk.failNextWith(28, 'Application authorization failed'),
      malformed: () => vk.origin.failNext(failures.truncated('<html><body>captcha</body></html>')),
    },
  };
});

const GID = '53038939046008';

/** An OK group: signed requests checked, string ids, millisecond times, anchors; errors with HTTP 200. */
connectorConformance('ok-group', (): PlatformFixture => {
  const ok = new FakeOk();
  const topicId = (i: number) => `1554362882${String(i).padStart(5, '0')}`;
  return {
    publish(n) {
      for (let i = 1; i <= n; i++) if (!ok.topics.has(topicId(i))) ok.publish(GID, topicId(i), `post ${i}`, 1763730000000 + i * 60_000);
    },
    edit(i, text) {
      const t = ok.topics.get(topicId(i));
      if (t) t.text = text;
    },
    remove: (i) => void ok.topics.delete(topicId(i)),
    connector: () => new OkGroupConnector({ id: 'ok', type: 'ok-group', options: okGroupOptionsSchema.parse({ groupId: GID, pageSize: 5 }) }, env({ secret: (n) => (OK_CREDENTIALS as Record<string, string>)[n], http: ok.http })),
    rateLimitSeconds: 300,
    fail: {
      rateLimit: () => ok.failNextWith(8, 'FLOOD_BLOCKED : Flood blocked'),
      serverError: () => ok.origin.failNext(serverError),
      timeout: () => ok.origin.failNext(timeout),
      reset: () => ok.origin.failNext(failures.reset),
      auth: () => ok.failNextWith(102, 'PARAM_SESSION_EXPIRED : Session expired'),
      malformed: () => ok.origin.failNext(failures.truncated('{"media_topics":[{"id":"1554')),
    },
    reply: {
      target: {},
      answers: (i) => ok.comments.filter((c) => c.topicId === topicId(i) && c.author_id === 'group').length,
      loseNextResponse: () => ok.origin.loseNextResponse(),
      idempotentAfterLostResponse: true,
    },
  };
});

/** A public channel's web preview: HTML pages of 20 posts, older ones with before=. */
connectorConformance('telegram-web', (): PlatformFixture => {
  const tme = new FakeTme('ensk_online', 4);
  return {
    publish(n) {
      for (let i = 1; i <= n; i++) if (!tme.posts.has(i)) tme.publish(i, `post ${i}`);
    },
    edit: (i, text) => tme.edit(i, text),
    remove: (i) => void tme.posts.delete(i),
    connector: () => new TelegramWebConnector({ id: 'web', type: 'telegram-web', options: telegramWebOptionsSchema.parse({ channel: 'ensk_online', maxPages: 20 }) }, env({ http: tme.http })),
    rateLimitSeconds: 30,
    fail: {
      rateLimit: () => tme.origin.failNext(failures.answer({ status: 429, body: 'Too Many Requests', headers: { 'retry-after': '30' } })),
      serverError: () => tme.origin.failNext(serverError),
      timeout: () => tme.origin.failNext(timeout),
      reset: () => tme.origin.failNext(failures.reset),
      auth: () => tme.origin.failNext(failures.answer({ status: 302, body: '', headers: { location: 'https://t.me/ensk_online' } })),
      malformed: () => tme.origin.failNext(failures.answer({ status: 200, body: '<html><body><div class="tgme_page">This channel can\'t be displayed</div></body></html>' })),
    },
  };
});

/** A public channel read with a user account over MTProto, faked at GramJS's client boundary. */
connectorConformance('telegram-mtproto', (): PlatformFixture => {
  const gram = new FakeGramClient();
  gram.addChat('ensk_online', 1734567890, 'channel', 'Энск Онлайн');
  const account = { TELEGRAM_API_ID: '123456', TELEGRAM_API_HASH: '0123456789abcdef0123456789abcdef', TELEGRAM_SESSION: '1BAAOMTQ5LjE1NC4xNjcuNTEAUFixtureSessionString=' } as Record<string, string>;
  return {
    publish(n) {
      for (let i = 1; i <= n; i++) if (!gram.chats.get('ensk_online')?.messages.has(i)) gram.post('ensk_online', i, `post ${i}`);
    },
    edit: (i, text) => gram.edit('ensk_online', i, text),
    remove: (i) => gram.remove('ensk_online', i),
    connector: () => new TelegramMtprotoConnector({ id: 'tg-mt', type: 'telegram-mtproto', options: telegramMtprotoOptionsSchema.parse({ chats: [{ username: 'ensk_online' }] }) }, env({ secret: (n) => account[n] }), async () => gram),
    rateLimitSeconds: 7,
    fail: {
      rateLimit: () => gram.failNext(rpcError(420, 'FLOOD_WAIT_7')),
      serverError: () => gram.failNext(rpcError(500, 'INTERNAL_SERVER_ERROR')),
      timeout: () => gram.failNext(new Error('TIMEOUT')),
      reset: () => gram.failNext(new Error('Not connected')),
      auth: () => gram.failNext(rpcError(401, 'AUTH_KEY_UNREGISTERED')),
    },
  };
});
