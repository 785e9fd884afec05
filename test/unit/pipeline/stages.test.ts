import { loadClassifier } from '../../../src/roles/rules.js';
import { loadConfig } from '../../../src/config/config.js';
import { describe, expect, it } from 'vitest';
import { analyzePosts } from '../../../src/pipeline/analyze.stage.js';
import { routePosts } from '../../../src/pipeline/route.stage.js';
import { Classifier } from '../../../src/core/classify/classifier.js';
import { Router, routingRulesSchema } from '../../../src/core/routing/router.js';
import { incidentIdFor } from '../../../src/core/incident/incident.js';
import { normalizeVkPost } from '../../../connectors/vk/normalize.js';
import { loadJsonRules } from '../../../src/adapters/files/json-rules.js';
import { projectRoot } from '../../../src/paths.js';
import { join } from 'node:path';

const classifier = loadClassifier(loadConfig({}));
const router = new Router(loadJsonRules(join(projectRoot, 'rules/routing.json'), routingRulesSchema));
const now = new Date('2026-11-21T10:00:00Z');
const post = (id: number, text: string) => normalizeVkPost({ id, owner_id: -1, from_id: 2, date: 1763730000, text }, { sourceId: 's', capturedAt: now.toISOString(), territory: 'Энск' });

describe('analyze and route stages', () => {
  it('classify every post; an exploding classifier sets that one post aside', () => {
    const posts = [post(1, 'Яма на дороге, ужас'), post(2, 'boom'), post(3, 'Всем привет')];
    const exploding = { classify: (t: string) => (t === 'boom' ? (() => { throw new Error('bug'); })() : classifier.classify(t)) } as unknown as Classifier;
    const { analyzed, failed } = analyzePosts(posts, exploding, now);
    expect(analyzed.map((a) => a.post.id)).toEqual(['vk:-1_1', 'vk:-1_3']);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.error.code).toBe('STAGE_FAILED');
  });

  it('open an incident only for alerts, proposed to the routed body, with an id fixed by the post', () => {
    const { analyzed } = analyzePosts([post(1, 'Яма на дороге, ужас, колёса пробиты'), post(2, 'Всем доброе утро')], classifier, now);
    const { routed, incidents } = routePosts(analyzed, router, now);
    expect(routed).toHaveLength(2);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ id: incidentIdFor('vk:-1_1'), status: 'alert', topic: 'roads', proposedBodyId: 'city-roads', postIds: ['vk:-1_1'], territory: 'Энск' });
    expect(routed[0]?.incidentId).toBe(incidents[0]?.id);
    expect(routed[1]?.incidentId).toBeUndefined();
  });

  it("a source whose every post is an appeal makes a formal, neutral post an alert; other sources' and its comments are judged as usual", () => {
    // Written for this test in the register of an official feedback form.
    const formal = 'Обращение гражданина. Адрес: ул. Садовая, д. 5. Содержание: прошу сообщить график работы приёмной.';
    const everyPost = (id: string) => id === 's';
    const [mine] = analyzePosts([post(10, formal)], classifier, now, new Map(), everyPost).analyzed;
    expect(mine?.classification.alert).toBe(true);
    expect(mine?.classification.explain.join(' ')).toContain('every post is an appeal');
    const [usual] = analyzePosts([post(10, formal)], classifier, now).analyzed;
    expect(usual?.classification.alert).toBe(false);
    const comment = { ...post(11, 'Спасибо, всё понятно'), kind: 'comment' as const, parentId: 'vk:-1_10' };
    expect(analyzePosts([comment], classifier, now, new Map(), everyPost).analyzed[0]?.classification.alert).toBe(false);
  });
});

describe('logExcerpt', () => {
  it('keeps hostile text out of the terminal: no control or bidi characters, one line, short', async () => {
    const { logExcerpt } = await import('../../../src/pipeline/stage-helpers.js');
    expect(logExcerpt('Яма\n\u001b[31mкрасный\u001b[0m\u202eтекст')).toBe('Яма [31mкрасный [0m текст');
    expect(logExcerpt('я'.repeat(200))).toHaveLength(90);
    expect(logExcerpt('я'.repeat(200)).endsWith('…')).toBe(true);
  });
});
