import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from '../../src/paths.js';

/** Debian's Chromium, driven by playwright-core; screenshots go to test-results/console/. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = join(projectRoot, 'test-results', 'console');
export const LAPTOP = { width: 1280, height: 720 };

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/**
 * A fresh browser context signed in to the console as a demo account. Every uncaught page error is
 * pushed to `pageErrors` (a test's afterAll expects none); the page's own errors during sign-in are
 * returned beside it.
 */
export async function signInAs(
  browser: Browser,
  base: string,
  login: string,
  o: { viewport?: { width: number; height: number }; timezoneId: string; at?: string; pageErrors: string[] },
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: o.viewport ?? LAPTOP, locale: 'ru-RU', timezoneId: o.timezoneId });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => {
    errors.push(e.message);
    o.pageErrors.push(`${login}: ${e.message}`);
  });
  await page.goto(`${base}${o.at ?? '/'}`);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'otklik-demo');
  await page.click('[data-test=login]');
  await page.waitForSelector('[data-test=whoami]');
  return { page, errors };
}
