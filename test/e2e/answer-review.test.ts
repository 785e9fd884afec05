import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, signInAs, SHOTS } from '../helpers/browser.js';
import { startEngine, type Engine } from '../../src/roles/engine.js';
import { projectRoot } from '../../src/paths.js';
import { useTestRedis, freshPrefix } from '../helpers/redis.js';
import { testConfig, silentLog, waitForCounts } from '../helpers/engine.js';
import { writeCorpus } from '../helpers/corpus.js';
import type { Actor } from '../../src/core/incident/lifecycle.js';
import type { Incident } from '../../src/core/incident/incident.js';
import { IncidentStore } from '../../src/adapters/redis/incident.store.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';

/**
 * A region that reviews answers, in headless Chromium: the road body's responder sends a final
 * answer, the moderator finds it among answers waiting, sends the отписка back with a remark, the
 * responder reworks it and the moderator publishes it; the analyst's leaderboard shows the body's
 * answer quality beside its deadlines. Screenshots go to test-results/console/.
 */
const t = useTestRedis();
let engine: Engine;
let browser: Browser;
let base = '';
let store: IncidentStore;
const pageErrors: string[] = [];

const roadPost = (id: number, text: string) =>
  JSON.stringify({ platform: 'vk', kind: 'post', item: { id, owner_id: -210345003, from_id: 5000 + id, date: 1794805764 + id, post_type: 'post', text, comments: { count: 0 }, likes: { count: 0 }, reposts: { count: 0 } } });
const ROADS = [
  'На улице Садовой у дома 12 огромная яма на дороге, машины бьют колёса, сделайте ремонт',
  'На Лесной 3 провал асфальта посреди дороги, машины объезжают по встречке',
  'Яма на дороге у школы на Мира 8, дети ходят по проезжей части',
  'Разбитая дорога на Речной 20, колею не заделывают второй год',
  'На Полевой 7 выбоина на дороге, пробил колесо, просим заделать',
  'На Заводской 11 дорога разбита, ямы по всей проезжей части',
];

beforeAll(async () => {
  // The shipped region with review switched on, as an admin would in rules/routing.json.
  const routing = { ...(JSON.parse(readFileSync(join(projectRoot, 'rules/routing.json'), 'utf8')) as Record<string, unknown>), answerReview: true };
  const routingFile = join(mkdtempSync(join(tmpdir(), 'otklik-review-')), 'routing.json');
  writeFileSync(routingFile, JSON.stringify(routing));
  const lines = ROADS.map((text, i) => roadPost(991000 + i, text));
  const prefix = freshPrefix();
  store = new IncidentStore(t.redis, new RedisKeys(prefix));
  engine = await startEngine({ config: testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: writeCorpus(lines), DEMO_USERS: 'on', ROUTING_FILE: routingFile }), log: silentLog });
  await waitForCounts(t.redis, prefix, (c) => c.completed + c.deadLetters >= lines.length);
  base = engine.address ?? '';
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  expect(pageErrors).toEqual([]);
  await browser?.close();
  await engine?.stop();
});

async function signIn(login: string): Promise<Page> {
  return (await signInAs(browser, base, login, { timezoneId: 'Europe/Moscow', pageErrors })).page;
}

const moderatorActor: Actor = { id: 'user:moderator', role: 'moderator' };
const responderActor: Actor = { id: 'user:city-roads', role: 'responder', bodyId: 'city-roads' };
const status = async (id: string) => (await store.require(id)).status;

describe('answers under review, in a browser', () => {
  let roads: Incident[] = [];

  it('the moderators route the road alerts to the road body', async () => {
    const alerts = await store.getMany(await store.idsByStatus('alert'));
    roads = alerts.filter((i) => i.proposedBodyId === 'city-roads');
    expect(roads.length).toBeGreaterThanOrEqual(5);
    for (const i of roads) await engine.incidents.act(i.id, { type: 'accept' }, moderatorActor);
  });

  it('a final answer waits for the moderator, who sends the отписка back; the reworked one goes out when approved', async () => {
    const id = roads[0]!.id;
    const responder = await signIn('city-roads');
    await responder.goto(`${base}/console/#/incident/${encodeURIComponent(id)}`);
    await responder.waitForSelector('[data-test=answer-form]');
    await responder.selectOption('[data-test=answer-kind]', 'final');
    await responder.fill('[data-test=answer-text]', 'Ваше обращение принято, информация будет передана подрядчику.');
    await responder.click('[data-test=answer-submit]');
    await responder.waitForSelector('[data-test=review]');
    expect(await responder.locator('[data-test=review-wait]').innerText()).toContain('после проверки модератором');
    expect(await responder.locator('[data-test=review] [data-test=answer-quality]').innerText()).toMatch(/^Похоже на отписку/);
    expect(await responder.locator('[data-test=answer-form]').count()).toBe(0);
    expect(await status(id)).toBe('on_review');

    const moderator = await signIn('moderator');
    await moderator.click('[data-test=nav-incidents]');
    await moderator.locator('[data-test=only-review] input').check();
    await expect.poll(() => moderator.locator('[data-test=incident]').count()).toBe(1);
    expect(await moderator.locator('[data-test=incident] .badge').first().innerText()).toBe('ответ на проверке');
    expect(await moderator.locator('[data-test=incident] [data-test=review-paused]').innerText()).toBe('ответ ждёт проверки, сроки приостановлены');
    await moderator.screenshot({ path: join(SHOTS, '30-moderator-answers-on-review.png') });
    await moderator.locator('[data-test=open-incident]').click();
    await moderator.waitForSelector('[data-test=review]');
    await moderator.fill('[data-test=return-remark]', 'Это отписка: напишите, что и когда сделают');
    await moderator.screenshot({ path: join(SHOTS, '31-moderator-review.png') });
    await moderator.click('[data-test=return-answer]');
    await expect.poll(() => status(id)).toBe('in_progress');

    await responder.reload();
    await expect.poll(() => responder.locator('[data-test=returned]').innerText()).toContain('Это отписка: напишите, что и когда сделают');
    // The form holds the returned answer, as a final one, to rework.
    expect(await responder.locator('[data-test=answer-kind]').inputValue()).toBe('final');
    expect(await responder.locator('[data-test=answer-text]').inputValue()).toBe('Ваше обращение принято, информация будет передана подрядчику.');
    await responder.locator('[data-test=answer-form]').scrollIntoViewIfNeeded();
    await responder.screenshot({ path: join(SHOTS, '32-responder-returned.png') });
    await responder.fill('[data-test=answer-text]', 'Яму заделают до 25 ноября, работы ведёт подрядчик, ответственный — мастер участка Петров.');
    await responder.click('[data-test=answer-submit]');
    await expect.poll(() => status(id)).toBe('on_review');

    await moderator.reload();
    await moderator.waitForSelector('[data-test=approve-answer]');
    expect(await moderator.locator('[data-test=review] [data-test=answer-quality]').innerText()).toMatch(/^По существу/);
    await moderator.click('[data-test=approve-answer]');
    await expect.poll(() => status(id)).toBe('answered_final');
    await moderator.locator('[data-test=answer]').waitFor();
    expect(await moderator.locator('[data-test=answer]').innerText()).toContain('мастер участка Петров');
    expect(await moderator.locator('[data-test=timeline]').innerText()).toMatch(/ответ возвращён на доработку[\s\S]*ответ одобрен/);
    await responder.context().close();
    await moderator.context().close();
  });

  it("the analyst's leaderboard shows the body's answer quality beside its deadlines", async () => {
    // Four more answers reviewed and published (two of them отписки) and one problem back: enough to rank the body.
    for (const [k, i] of roads.slice(1, 5).entries()) {
      await engine.incidents.act(i.id, { type: 'answer', kind: 'final', text: k < 2 ? 'Обращение принято, будет рассмотрено в порядке очерёдности.' : 'Выбоину заделали 20 ноября, бригада подрядчика.' }, responderActor);
      await engine.incidents.act(i.id, { type: 'approve_answer' }, moderatorActor);
    }
    await engine.incidents.act(roads[1]!.id, { type: 'reopen', reason: 'житель пишет, что яма на месте' }, moderatorActor);
    const analyst = await signIn('analyst');
    await analyst.click('[data-test=nav-search]');
    const row = analyst.locator('[data-test=leaderboard] tbody tr', { hasText: 'дорожного' });
    await expect.poll(() => row.locator('[data-test=formal-share]').innerText(), { timeout: 15_000 }).toBe('2 из 5');
    expect(await row.locator('[data-test=reopened]').innerText()).toBe('1 из 5');
    expect(await row.locator('[data-test=satisfaction]').innerText()).toBe('—');
    await row.scrollIntoViewIfNeeded();
    await analyst.screenshot({ path: join(SHOTS, '33-analyst-leaderboard-quality.png') });
    await analyst.context().close();
  });
});
