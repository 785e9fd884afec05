import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startEngine, type Engine } from '../../src/roles/engine.js';
import { projectRoot } from '../../src/paths.js';
import { useTestRedis, freshPrefix } from '../helpers/redis.js';
import { testConfig, silentLog, waitForCounts } from '../helpers/engine.js';
import { demoLines, writeCorpus } from '../helpers/corpus.js';

/**
 * The console end to end in headless Chromium (Debian's package, driven by playwright-core):
 * a moderator accepts an alert, the routed body's responder sees its countdown and answers,
 * the analyst finds it in search and in the trend chart. Screenshots go to test-results/console/.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(projectRoot, 'test-results', 'console');
const t = useTestRedis();
let engine: Engine;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  mkdirSync(SHOTS, { recursive: true });
  const prefix = freshPrefix();
  const lines = demoLines().slice(0, 300);
  engine = await startEngine({ config: testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: writeCorpus(lines), DEMO_USERS: 'on' }), log: silentLog });
  await waitForCounts(t.redis, prefix, (c) => c.completed + c.deadLetters >= lines.length - 1);
  base = engine.address ?? '';
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await engine?.stop();
});

async function signIn(login: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'ru-RU', timezoneId: 'Asia/Yekaterinburg' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/`);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'otklik-demo');
  await page.click('[data-test=login]');
  await page.waitForSelector('[data-test=whoami]');
  expect(errors).toEqual([]);
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

describe('the console in a browser', () => {
  let incidentId = '';
  let text = '';
  let noiseId = '';

  it('a moderator accepts a road alert from the live queue', async () => {
    const page = await signIn('moderator');
    await page.waitForSelector('[data-test=alert]');
    // Copies of one complaint from other communities, side by side on the alert.
    const copied = page.locator('[data-test=alert]', { has: page.locator('[data-test=show-copies]') }).first();
    await copied.locator('[data-test=show-copies]').click();
    await expect.poll(() => copied.locator('[data-test=copies-list] [data-test=post-hit]').count()).toBeGreaterThan(1);
    await copied.scrollIntoViewIfNeeded();
    await shot(page, '1-moderator-copies');
    await copied.locator('[data-test=show-copies]').click();
    await page.selectOption('[data-test=filter-topic]', 'roads');
    const card = page.locator('[data-test=alert]', { has: page.locator('[data-test=accept-body] option:checked', { hasText: 'дорожного' }) }).first();
    await card.waitFor();
    incidentId = (await card.getAttribute('data-id')) ?? '';
    text = (await card.locator('[data-test=post-text]').innerText()).trim();
    expect(incidentId).toMatch(/^inc_/);
    await shot(page, '1-moderator-alerts');
    await card.locator('[data-test=accept]').click();
    await page.locator(`[data-test=alert][data-id="${incidentId}"]`).waitFor({ state: 'detached' });
    // An alert that reports nothing goes with one click as noise: a decision the engine learns from.
    const other = page.locator('[data-test=alert]').first();
    const otherId = (await other.getAttribute('data-id')) ?? '';
    await other.locator('[data-test=reject-noise]').click();
    await page.locator(`[data-test=alert][data-id="${otherId}"]`).waitFor({ state: 'detached' });
    noiseId = otherId;
    await page.click('[data-test=nav-incidents]');
    await page.locator(`[data-test=incident][data-id="${incidentId}"]`).waitFor();
    await shot(page, '2-moderator-incidents');
    await page.context().close();
  });

  it('the responder of the routed body sees it with its countdown in the body zone and answers', async () => {
    expect(incidentId).not.toBe('');
    const page = await signIn('city-roads');
    const card = page.locator(`[data-test=incident][data-id="${incidentId}"]`);
    await card.waitFor();
    // The body is in Moscow; the browser is in Yekaterinburg: the deadline is shown in Moscow time.
    // Which deadline, how long, and when in the body's zone, named as Russians name zones.
    await expect.poll(() => card.locator('[data-test=countdown]').innerText()).toMatch(/^первый ответ: осталось .* мин · до \d\d\.\d\d\.\d{4}, \d\d:\d\d \(МСК\)$/);
    await shot(page, '3-responder-desk');
    await card.locator('[data-test=open-incident]').click();
    await page.waitForSelector('[data-test=incident-detail]');
    await page.waitForSelector('[data-test=posts-panel]');
    await page.selectOption('[data-test=answer-kind]', 'final');
    await page.fill('[data-test=answer-text]', 'Яму заделаем до пятницы, бригада выехала. <script>alert(1)</script>');
    await page.click('[data-test=answer-submit]');
    await page.locator('[data-test=answer]').waitFor();
    // Text is shown as text, never as markup.
    expect(await page.locator('[data-test=answer]').innerText()).toContain('<script>alert(1)</script>');
    expect(await page.locator('[data-test=incident-detail] script').count()).toBe(0);
    // The history names who acted as people read it: the engine's parts by what they do, users by login.
    await expect.poll(() => page.locator('[data-test=timeline]').innerText()).toContain('(city-roads)');
    const history = await page.locator('[data-test=timeline]').innerText();
    expect(history).toContain('система: новый пост');
    expect(history).not.toMatch(/user:|pipeline/);
    await shot(page, '4-responder-incident');
    await page.context().close();
    expect((await engine.incidents.act(incidentId, { type: 'take' }, { id: 't', role: 'admin' }).catch((e: { code: string }) => e.code))).toBe('INCIDENT_TRANSITION_INVALID');
  });

  it('another body\'s responder cannot open it', async () => {
    const page = await signIn('city-housing');
    await page.goto(`${base}/console/#/incident/${incidentId}`);
    await expect.poll(() => page.locator('[data-test=error]').innerText()).toContain('Нет доступа');
    await page.context().close();
  });

  it('the analyst finds it in search and sees it in the trend chart', async () => {
    const page = await signIn('analyst');
    const words = text.split(/\s+/).filter((w) => /^[а-яё]{5,}$/i.test(w)).slice(0, 3).join(' ');
    await page.fill('[data-test=filter-q]', words);
    await page.locator('[data-test=hit]', { has: page.locator(`a[href="#/incident/${incidentId}"]`) }).waitFor();
    // Runs in the page: the chart's own data, as Chart.js holds it.
    const roads = await page.waitForFunction(`(() => {
      const chart = window.Chart.getChart(document.querySelector('[data-test=trend-chart]'));
      const sets = chart ? chart.data.datasets : [];
      return sets.length > 0 ? sets.map((s) => ({ label: s.label, total: s.data.reduce((a, b) => a + b, 0) })) : false;
    })()`);
    const series = (await roads.jsonValue()) as { label: string; total: number }[];
    expect(series.find((s) => s.label === 'Дороги')?.total).toBeGreaterThan(0);
    await shot(page, '5-analyst-search');
    // A query the server refuses is explained in Russian, never in the server's English.
    await page.fill('[data-test=filter-q]', '"незакрытая кавычка');
    await expect.poll(() => page.locator('[data-test=error]').first().innerText()).toContain('кавычки');
    expect(await page.locator('[data-test=error]').first().innerText()).not.toMatch(/[a-z]{4,}/);
    await shot(page, '5b-analyst-search-error');
    await page.context().close();
  });

  it('the admin sees sources, users and bodies', async () => {
    const page = await signIn('admin');
    await page.click('[data-test=nav-admin]');
    await page.locator('[data-test=sources] td', { hasText: 'demo' }).waitFor();
    expect(await page.locator('[data-test=users] tr').count()).toBeGreaterThan(5);
    expect(await page.locator('[data-test=routes] tbody tr').count()).toBeGreaterThan(3);
    // Where a body is notified changes here, over the rules file.
    const roads = page.locator('[data-test=body][data-id=city-roads]');
    // Zones and SLA policies in Russian, not as the rules file spells them.
    expect(await roads.innerText()).toMatch(/МСК[\s\S]*рабочие дни/);
    await roads.locator('[data-test=notify-edit]').click();
    await roads.locator('[data-test=notify-chat]').fill('-1001234567890');
    await roads.locator('[data-test=notify-webhook]').fill('https://hooks.example.org/otklik/secret-path');
    await roads.locator('[data-test=notify-save]').click();
    await expect.poll(() => roads.locator('[data-test=notify]').innerText()).toMatch(/Telegram -1001234567890, вебхук https:\/\/hooks\.example\.org\/…/);
    expect(await page.content()).not.toContain('secret-path');
    await shot(page, '6-admin');
    await roads.locator('[data-test=notify-reset]').click();
    await expect.poll(() => roads.locator('[data-test=notify-reset]').count()).toBe(0);

    // A route added in the console is saved over the rules file, then reset to it.
    const rows = await page.locator('[data-test=route-row]').count();
    await page.click('[data-test=route-add]');
    await page.locator('[data-test=route-row]').last().locator('[data-test=route-body]').selectOption('city-transport');
    await page.click('[data-test=route-save]');
    await expect.poll(() => page.locator('[data-test=routing]').innerText()).toContain('Изменено через консоль: admin,');
    expect(await page.locator('[data-test=route-row]').count()).toBe(rows + 1);
    const saved = await engine.app!.inject({ method: 'GET', url: '/routing?size=500', headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } });
    expect(saved.json<{ items: { body: string }[] }>().items.at(-1)?.body).toBe('city-transport');
    await page.click('[data-test=route-reset]');
    await expect.poll(() => page.locator('[data-test=routing]').innerText()).toContain('Как в файле правил (rules/routing.json)');
    expect(await page.locator('[data-test=route-row]').count()).toBe(rows);

    // The models in force and what they learnt from: the moderator's acceptance and noise count.
    expect(noiseId).toMatch(/^inc_/);
    const models = page.locator('[data-test=models]');
    await expect.poll(() => models.innerText()).toContain('поставочная');
    expect(Number(await page.locator('[data-test=decisions]').innerText())).toBeGreaterThanOrEqual(2);
    await page.locator('[data-test=models]').scrollIntoViewIfNeeded();
    await shot(page, '7-admin-models');
    await page.context().close();
  });
});
