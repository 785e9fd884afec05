import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { NotificationJob } from '../../../src/ports/notifications.js';
import { spikePayload } from '../../../src/incidents/notification-text.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSearchIndex } from '../../../src/adapters/search/embedded/embedded.search-index.js';
import { SpikeWatch, recentSpikes } from '../../../src/reports/spike-watch.js';
import type { CounterSample } from '../../../src/ports/counters.js';
import { doc } from '../../helpers/search-conformance.js';

let index: EmbeddedSearchIndex;
const HOUR = 3_600_000;
const now = new Date('2026-12-07T12:10:00Z');

beforeAll(async () => {
  index = new EmbeddedSearchIndex(join(mkdtempSync(join(tmpdir(), 'otklik-spikes-')), 'i.sqlite'));
  const docs = [];
  // A fortnight of ordinary traffic (written for this test): a road post every fourth hour in the
  // district, housing posts in the city now and then.
  for (let h = 15 * 24; h > 1; h--) {
    const at = new Date(Date.parse('2026-12-07T11:00:00Z') - h * HOUR + 5 * 60_000).toISOString();
    if (h % 4 === 0) docs.push(doc({ id: `vk_r${h}`, text: 'Яма на дороге, колесо пробил', at, topic: 'roads', territory: 'г. Энск, Северный район' }));
    if (h % 7 === 0) docs.push(doc({ id: `vk_h${h}`, text: 'Нет горячей воды в доме', at, topic: 'housing', territory: 'г. Энск' }));
  }
  // The last complete hour (11:00–12:00): a surge of gas complaints in the district.
  for (let i = 0; i < 9; i++) docs.push(doc({ id: `vk_gas${i}`, incidentId: `inc_gas${i}`, text: `Сильный запах газа в подъезде дома ${i + 1}, соседи тоже чувствуют запах газа`, at: `2026-12-07T11:${String(10 + i * 5).padStart(2, '0')}:00Z`, topic: 'housing', territory: 'г. Энск, Северный район' }));
  docs.push(doc({ id: 'vk_road_now', text: 'Яма на дороге', at: '2026-12-07T11:30:00Z', topic: 'roads', territory: 'г. Энск, Северный район' }));
  await index.indexPosts(docs);
});

afterAll(async () => {
  await index.close();
});

describe('SpikeWatch on a real (embedded) index', () => {
  it('finds the surge of one topic in one territory, with its count, the normal range, its posts and the words that rose; once', async () => {
    const kept = new Map<string, string>();
    const counted: CounterSample[] = [];
    const told: NotificationJob[] = [];
    const watch = new SpikeWatch({
      outbox: { enqueue: async (jobs) => void told.push(...jobs) },
      search: index,
      markers: { get: async (k) => kept.get(k), set: async (k, v) => void kept.set(k, v), take: async () => undefined },
      counters: { count: async (s) => void counted.push(...s) },
      now: () => now,
      log: pino({ level: 'silent' }),
    });
    const found = await watch.scan();
    // The gas complaints surge as posts and as alerts (each of them an alert here): two series, two spikes.
    expect(found.map((s) => s.kind)).toEqual(['posts', 'alerts']);
    expect(found[0]).toMatchObject({ topic: 'housing', territory: 'г. Энск, Северный район', hour: '2026-12-07T11:00:00.000Z', count: 9 });
    expect(found[1]).toMatchObject({ kind: 'alerts', topic: 'housing', count: 9 });
    expect(found[0]?.expected).toBeLessThan(1);
    expect(found[0]?.range[1]).toBeLessThan(9);
    expect(found[0]?.top).toHaveLength(5);
    expect(found[0]?.rising).toEqual(expect.arrayContaining(['запах', 'газа']));
    expect(counted).toEqual([
      { name: 'otklik_spikes_total', labels: { kind: 'posts', topic: 'housing' }, value: 1 },
      { name: 'otklik_spikes_total', labels: { kind: 'alerts', topic: 'housing' }, value: 1 },
    ]);
    // Moderators are told of each surge once, with what the console shows.
    expect(told).toHaveLength(2);
    expect(told[0]).toMatchObject({ event: 'spike', moderators: true, bodyIds: [], spike: { key: found[0]?.key, topic: 'housing', count: 9, territory: 'г. Энск, Северный район' } });
    const { text } = spikePayload((told[0] as Extract<NotificationJob, { event: 'spike' }>).spike);
    expect(text).toMatch(/^Всплеск постов: housing, г\. Энск, Северный район\n9 за час/);
    expect(text).toMatch(/Чаще обычного: .*запах/);
    // The ordinary road series did not alarm; a second scan of the same hour adds nothing, tells nobody.
    expect(await watch.scan()).toEqual([]);
    expect(told).toHaveLength(2);
    expect(await recentSpikes({ get: async (k) => kept.get(k) })).toHaveLength(2);
    // And the index keeps them: searchable after the leader's week, and in Kibana.
    expect((await index.spikes({ size: 10 })).map((s) => s.key).sort()).toEqual(found.map((s) => s.key).sort());
  });
});
