import { describe, expect, it } from 'vitest';
import { VkSearchConnector, vkSearchOptionsSchema, type VkSearchCursor } from '../../../../connectors/vk/vk-search.connector.js';
import { ConnectorRegistry } from '../../../../src/connector/registry.js';
import { vkSearchConnectorFactory } from '../../../../connectors/vk/vk-search.connector.js';
import type { PollItem } from '../../../../src/connector/connector.js';
import { FakeVk, VK_TOKEN } from '../../../fixtures/vk.js';

const NOW = Date.parse('2026-11-21T10:00:00Z') / 1000;

function setup(queries: { id: string; query: string; territory?: string }[], now = { t: NOW }) {
  const vk = new FakeVk();
  const c = new VkSearchConnector(
    { id: 'vk-search', type: 'vk-search', options: vkSearchOptionsSchema.parse({ queries, pageSize: 10 }) },
    { resolvePath: (p) => p, now: () => new Date(now.t * 1000), secret: (n) => (n === 'VK_TOKEN' ? VK_TOKEN : undefined), http: vk.http },
  );
  let cursor: VkSearchCursor = c.initialCursor();
  const poll = async () => {
    const r = await c.poll(cursor, { limit: 1000 });
    cursor = r.nextCursor;
    return r;
  };
  return { vk, c, poll, now };
}
const texts = (items: PollItem[]) => items.flatMap((i) => (i.ok ? [i.post.text] : [])).sort();
const searches = (vk: FakeVk) => vk.origin.requests.filter((r) => r.path.endsWith('newsfeed.search')).map((r) => new URLSearchParams(r.body));

describe('VK keyword search (newsfeed.search)', () => {
  it('expands OR into one search each, then keeps only what matches the whole query, word forms and NOT included', async () => {
    const s = setup([{ id: 'roads', query: '(яма OR выбоина) AND Энск -ремонт', territory: 'г. Энск' }]);
    s.vk.publish(-1, 1, 'В Энске огромная яма на Ленина', NOW - 600);
    s.vk.publish(-2, 2, 'Выбоины по всему Энску', NOW - 500);
    s.vk.publish(-3, 3, 'Яма в Энске, ремонт обещают', NOW - 400);
    s.vk.publish(-4, 4, 'Ямайка — остров', NOW - 300);
    const r = await s.poll();
    expect(texts(r.items)).toEqual(['В Энске огромная яма на Ленина', 'Выбоины по всему Энску']);
    expect(searches(s.vk).map((q) => q.get('q')).sort()).toEqual(['выбоина энск', 'яма энск']);
    expect(r.items.every((i) => i.ok && i.post.territory === 'г. Энск')).toBe(true);
  });

  it('phrases are sent quoted and checked word by word', async () => {
    const s = setup([{ id: 'water', query: '"горячей воды"' }]);
    s.vk.publish(-1, 1, 'Нет горячей воды', NOW - 60);
    s.vk.publish(-1, 2, 'Воды горячей нет', NOW - 60);
    expect(texts((await s.poll()).items)).toEqual(['Нет горячей воды']);
    expect(searches(s.vk)[0]?.get('q')).toBe('"горячей воды"');
  });

  it('windows overlap, and what the overlap re-reads is not taken twice; an edit is a new revision', async () => {
    const s = setup([{ id: 'q', query: 'мусор' }]);
    s.vk.publish(-1, 1, 'Мусор не вывозят', NOW - 100);
    expect((await s.poll()).items).toHaveLength(1);
    const first = searches(s.vk)[0];
    expect(Number(first?.get('start_time'))).toBe(NOW - 24 * 3600);
    s.now.t = NOW + 300;
    s.vk.publish(-1, 2, 'Опять мусор', NOW + 200);
    const second = await s.poll();
    expect(texts(second.items)).toEqual(['Опять мусор']);
    expect(Number(searches(s.vk).at(-1)?.get('start_time'))).toBe(NOW - 900);
    s.now.t = NOW + 600;
    const p = s.vk.posts.get('-1_2');
    if (p) Object.assign(p, { text: 'Опять мусор, уже неделю', edited: NOW + 500 });
    expect(texts((await s.poll()).items)).toEqual(['Опять мусор, уже неделю']);
  });

  it('follows next_from, and splits a window that hits the 1,000-result cap so nothing beyond it is lost', async () => {
    const s = setup([{ id: 'q', query: 'мусор' }]);
    for (let i = 1; i <= 1300; i++) s.vk.publish(-1, i, `мусор ${i}`, NOW - 20_000 + i * 10);
    const r = await s.poll();
    expect(new Set(r.items.map((i) => (i.ok ? i.post.id : ''))).size).toBe(1300);
    expect(r.notices).toBeUndefined();
  });

  it('says what it could not reach when even a split window is over the cap', async () => {
    const s = setup([{ id: 'q', query: 'мусор' }]);
    for (let i = 1; i <= 1100; i++) s.vk.publish(-1, i, `мусор ${i}`, NOW - 10);
    const r = await s.poll();
    expect(r.items.length).toBe(1000);
    expect(r.notices?.[0]).toContain('more than 1000');
  });

  it('a key query that does not parse is a config error naming the source and field', () => {
    const registry = new ConnectorRegistry([vkSearchConnectorFactory]);
    const env = { resolvePath: (p: string) => p, now: () => new Date(), secret: () => undefined };
    expect(() => registry.build([{ id: 's', type: 'vk-search', options: { queries: [{ id: 'bad', query: 'яма AND (дорога' }] } }], env, 'rules/sources.json')).toThrow(
      /rules\/sources.json: sources\[0\] \(s\): options.queries.0.query: a parenthesis is not closed/,
    );
  });
});
