import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { loadRules } from '../../../src/roles/rules.js';
import { loadSources } from '../../../src/roles/sources.js';
import { createLogger } from '../../../src/log.js';
import { checkRoutes } from '../../../src/core/routing/route-check.js';
import { gazetteerFromGar } from '../../../src/core/classify/gazetteer-gar.js';
import { readGarHierarchy, readGarObjects } from '../../../src/adapters/files/gar-reader.js';
import { analyzePosts } from '../../../src/pipeline/analyze.stage.js';
import { projectRoot } from '../../../src/paths.js';
import type { Post } from '../../../src/core/post.js';

// examples/ensk-region: the set-up its README describes must load and behave as it says.
const dir = 'examples/ensk-region';
const config = loadConfig({ GAZETTEER_FILE: `${dir}/gazetteer.json`, ROUTING_FILE: `${dir}/routing.json` });
const rules = loadRules(config);
const route = (text: string, sourceTerritory: string) => {
  const c = rules.classifier.classify(text, { territory: sourceTerritory });
  return { c, d: rules.router.route(c.subtopic ?? c.topics[0]?.id ?? 'other', c.territory, text) };
};

describe('the example region set-up (examples/ensk-region)', () => {
  it('its gazetteer is what the register import makes of the sample export', async () => {
    const [objects, links] = await Promise.all([readGarObjects(join(projectRoot, 'test/fixtures/gar/AS_ADDR_OBJ_20261201_sample.XML')), readGarHierarchy(join(projectRoot, 'test/fixtures/gar/AS_ADM_HIERARCHY_20261201_sample.XML'))]);
    expect(JSON.parse(readFileSync(join(projectRoot, dir, 'gazetteer.json'), 'utf8'))).toEqual(gazetteerFromGar(objects, links).gazetteer);
  });

  it('territorial bodies: a topic goes to the administration of its place, walking up from a village to its district', () => {
    const city = route('Во дворе дома 5 сухое дерево нависает над детской площадкой, просим спилить', 'г. Энск');
    expect(city.d).toMatchObject({ bodyId: 'ensk-admin' });
    expect(city.d.reason).toMatch(/→ administration of г\. Энск/);
    const village = route('В Берёзовке у дома 5 сухое дерево нависает над детской площадкой, просим спилить', 'Энская область');
    expect(village.c.territory).toBe('с. Берёзовка');
    expect(village.d).toMatchObject({ bodyId: 'zavodskoy-admin' });
    expect(village.d.reason).toMatch(/→ administration of Заводской район/);
    // Keywords over none, the deeper territory over the region.
    expect(route('Управляющая компания не убирает подъезд дома 3 уже месяц', 'г. Энск').d.bodyId).toBe('housing-inspection');
    expect(route('Огромная яма на дороге у дома 7 на улице Перекальского', 'г. Энск').d.bodyId).toBe('ensk-roads');
    expect(route('Огромная яма на дороге у въезда в Берёзовку', 'Энская область').d.bodyId).toBe('regional-roads');
    // A street in two places, from a regional community: both candidates kept.
    expect(route('Огромная яма на дороге на улице Садовой у дома 7', 'Энская область').c.territoryCandidates).toEqual(['с. Берёзовка', 'г. Энск']);
  });

  it('the route table has nothing for routes:check to report', () => {
    const known = new Set(rules.territories.list().map((t) => t.id));
    const administered = rules.bodies.all().flatMap((b) => (b.administration && b.territory ? [b.territory] : []));
    expect(checkRoutes(rules.router.routes(), { knownTerritory: (id) => known.has(id), contains: (o, i) => rules.territories.contains(o, i), administered })).toEqual([]);
  });

  it('per-source policy: every post of the official feedback community is an appeal; the others are judged', () => {
    const sources = loadSources(loadConfig({ SOURCES_FILE: `${dir}/sources.json`, VK_TOKEN: 'vk1.a.example' }), createLogger({ LOG_LEVEL: 'silent' }));
    expect([...sources.keys()]).toEqual(['vk-ensk-feedback', 'vk-zavodskoy', 'vk-region-news']);
    const everyPost = new Set([...sources.entries()].filter(([, s]) => s.alerts?.everyPost).map(([id]) => id));
    expect([...everyPost]).toEqual(['vk-ensk-feedback']);
    const post = (sourceId: string): Post => ({ id: `vk:${sourceId}_1`, revision: 'r1', platform: 'vk', kind: 'post', sourceId, community: { id: '-1' }, text: 'Прошу сообщить график приёма граждан в администрации', createdAt: '2026-12-01T09:00:00Z', capturedAt: '2026-12-01T09:00:01Z', engagement: {}, territory: 'г. Энск' }) as Post;
    const { analyzed } = analyzePosts([post('vk-ensk-feedback'), post('vk-zavodskoy')], rules.classifier, new Date('2026-12-01T09:00:02Z'), new Map(), (id) => everyPost.has(id));
    expect(analyzed.map((a) => a.classification.alert)).toEqual([true, false]);
  });
});
