import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { startEngine } from '../../../src/roles/engine.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog, waitForCounts } from '../../helpers/engine.js';
import { FakeVk, VK_TOKEN } from '../../fixtures/vk.js';
import { FakeOk, OK_CREDENTIALS } from '../../fixtures/ok.js';
import { FakeTme } from '../../fixtures/telegram-web.js';
import { failures } from '../../fixtures/http.js';

const t = useTestRedis();

/** A platform holding numbered posts that can grow and be edited while the engine is down. */
interface Platform {
  http: Dispatcher;
  source: Record<string, unknown>;
  secrets: Record<string, string>;
  publish(from: number, to: number): void;
  edit(i: number, text: string): void;
}

const nowS = () => Math.floor(Date.now() / 1000);

const platforms: Record<string, () => Platform> = {
  'vk-wall': () => {
    const vk = new FakeVk();
    return {
      http: vk.http,
      source: { type: 'vk-wall', options: { ownerId: -77, pageSize: 20, overlap: 3, bootstrapBacklog: 1000 } },
      secrets: { VK_TOKEN },
      publish: (a, b) => {
        for (let i = a; i <= b; i++) vk.publish(-77, i, `Яма на дороге номер ${i}`);
      },
      edit: (i, text) => {
        const p = vk.posts.get(`-77_${i}`);
        if (p) Object.assign(p, { text, edited: nowS() + 5 });
      },
    };
  },
  'vk-search': () => {
    const vk = new FakeVk();
    return {
      http: vk.http,
      source: { type: 'vk-search', options: { queries: [{ id: 'roads', query: 'яма OR выбоина' }], pageSize: 20 } },
      secrets: { VK_TOKEN },
      publish: (a, b) => {
        for (let i = a; i <= b; i++) vk.publish(-77, i, `Яма на дороге номер ${i}`, nowS() - 60);
      },
      edit: (i, text) => {
        const p = vk.posts.get(`-77_${i}`);
        if (p) Object.assign(p, { text, edited: nowS() });
      },
    };
  },
  'ok-group': () => {
    const ok = new FakeOk();
    const id = (i: number) => `1554362882${String(i).padStart(5, '0')}`;
    return {
      http: ok.http,
      source: { type: 'ok-group', options: { groupId: '53038939046008', pageSize: 20, bootstrapBacklog: 500 } },
      secrets: OK_CREDENTIALS,
      publish: (a, b) => {
        for (let i = a; i <= b; i++) ok.publish('53038939046008', id(i), `Яма на дороге номер ${i}`, 1763730000000 + i * 60_000);
      },
      edit: (i, text) => {
        const topic = ok.topics.get(id(i));
        if (topic) topic.text = text;
      },
    };
  },
  'telegram-web': () => {
    const tme = new FakeTme('ensk_online');
    return {
      http: tme.http,
      source: { type: 'telegram-web', options: { channel: 'ensk_online', bootstrapBacklog: 500, maxPages: 10, requestsPerSecond: 10 } },
      secrets: {},
      publish: (a, b) => {
        for (let i = a; i <= b; i++) tme.publish(i, `Яма на дороге номер ${i}`);
      },
      edit: (i, text) => tme.edit(i, text),
    };
  },
};

function sourcesFile(source: Record<string, unknown>): string {
  const path = join(mkdtempSync(join(tmpdir(), 'otklik-sources-')), 'sources.json');
  writeFileSync(path, JSON.stringify({ sources: [{ id: 'src', territory: 'г. Энск', pollIntervalMs: 200, ...source }] }));
  return path;
}

describe.each(Object.keys(platforms))('%s through the real pipeline', (name) => {
  it('across a restart, with posts and an edit arriving while the engine is down: no gap, no duplicate', async () => {
    const p = (platforms[name] as () => Platform)();
    const prefix = freshPrefix();
    const config = testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, SOURCES_FILE: sourcesFile(p.source), PIPELINE_BATCH_SIZE: '7', API_KEYS: 'metrics-key-0123456789abcdef', ...p.secrets });
    p.publish(1, 30);
    const first = await startEngine({ config, log: silentLog, http: p.http });
    await waitForCounts(t.redis, prefix, (c) => c.completed >= 30);
    await first.stop();

    p.publish(31, 45);
    // A post the engine has already taken, still on the pages a web preview re-reads.
    p.edit(28, 'Яма на дороге номер 28 — уже огромная');
    const second = await startEngine({ config, log: silentLog, http: p.http });
    try {
      const done = await waitForCounts(t.redis, prefix, (c) => c.completed >= 46);
      // Several more polls of an unchanged platform add nothing.
      await sleep(1200);
      const after = await waitForCounts(t.redis, prefix, () => true);
      expect(after).toMatchObject({ admitted: 46, completed: 46, deadLetters: 0 });
      expect(done.completed).toBe(46);
      const health = await second.app!.inject({ method: 'GET', url: '/health', headers: { authorization: 'Bearer metrics-key-0123456789abcdef' } });
      const src = health.json<{ sources: { sourceId: string; itemsSeen: number; lagSeconds: number; errors: Record<string, number> }[] }>().sources.find((s) => s.sourceId === 'src');
      expect(src?.errors).toEqual({});
      expect(src?.itemsSeen).toBe(46);
      expect(src?.lagSeconds).toBeLessThan(10);
      const metrics = await second.app!.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer metrics-key-0123456789abcdef' } });
      expect(metrics.body).toContain('otklik_source_items_seen_total{source="src"} 46');
      for (const secret of Object.values(p.secrets)) {
        expect(health.body).not.toContain(secret);
        expect(metrics.body).not.toContain(secret);
      }
    } finally {
      await second.stop();
    }
  });
});

describe('a malformed platform answer', () => {
  it('is kept in the dead letters with the raw body and the reason, once; the cursor stays and the next poll takes everything', async () => {
    const vk = new FakeVk();
    for (let i = 1; i <= 12; i++) vk.publish(-77, i, `Яма номер ${i}`);
    const truncated = '{"response":{"count":12,"items":[{"id":12,"owner_id":-77,"te';
    vk.origin.failNext(failures.truncated(truncated));
    const prefix = freshPrefix();
    const config = testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, SOURCES_FILE: sourcesFile({ type: 'vk-wall', options: { ownerId: -77 } }), VK_TOKEN });
    const engine = await startEngine({ config, log: silentLog, http: vk.http });
    try {
      const counts = await waitForCounts(t.redis, prefix, (c) => c.completed >= 12 && c.deadLetters >= 1);
      expect(counts).toMatchObject({ admitted: 12, completed: 12, deadLetters: 1 });
      const [id] = await t.redis.lrange(`${prefix}:deadletter:wait`, 0, -1);
      const letter = JSON.parse((await t.redis.hget(`${prefix}:deadletter:${id}`, 'data')) ?? '{}') as { stage: string; error: { code: string; message: string }; payload: string };
      expect(letter).toMatchObject({ stage: 'poll', error: { code: 'PLATFORM_RESPONSE_INVALID' }, payload: truncated });
      expect(letter.error.message).not.toContain(VK_TOKEN);
    } finally {
      await engine.stop();
    }
  });
});
