import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routeLine } from '../../../src/cli/route-command.js';
import { loadRules } from '../../../src/roles/rules.js';
import { loadConfig } from '../../../src/config/config.js';
import { projectRoot } from '../../../src/paths.js';

const shipped = loadRules(loadConfig({}));
const deps = (rules = shipped) => ({ classifier: rules.classifier, router: rules.router, bodies: rules.bodies, territoryOf: (s: string | undefined) => (s === 'vk-zavodsk' ? 'г. Заводск' : undefined) });

describe('routeLine (npm run route)', () => {
  it('writes the body the engine would propose, whether it fell back, and why', () => {
    expect(routeLine('{"id":"p1","text":"Огромная яма на дороге на Ленина, колесо пробил"}', 1, deps())).toMatchObject({
      // «на Ленина» with no source territory: Энск and Заводск both have one, so only the region is sure.
      id: 'p1', body: 'city-roads', bodyName: 'Управление дорожного хозяйства', fallback: false, topic: 'roads.potholes', territory: 'Энская область', explain: expect.arrayContaining(['route roads']),
    });
    const other = routeLine('{"id":"p2","text":"Продам гараж недорого"}', 2, deps());
    expect(other).toMatchObject({ id: 'p2', fallback: true, alert: false });
    expect(other?.explain[0]).toBe('no route for other: fallback');
    expect(routeLine('{oops', 3, deps())).toMatchObject({ id: 'line-3', body: null, error: { code: 'CLASSIFY_INPUT_INVALID' } });
    expect(routeLine('  ', 4, deps())).toBeUndefined();
  });

  it('RULES_DIR reads another rules folder: there a town\'s roads go to its own administration', () => {
    const dir = mkdtempSync(join(tmpdir(), 'otklik-region-'));
    cpSync(join(projectRoot, 'rules'), dir, { recursive: true });
    const routing = JSON.parse(readFileSync(join(dir, 'routing.json'), 'utf8')) as { bodies: Record<string, unknown>[]; routes: Record<string, unknown>[] };
    routing.bodies.push({ id: 'zavodsk-admin', name: 'Администрация г. Заводск', territory: 'г. Заводск', administration: true, timeZone: 'Europe/Moscow' });
    routing.routes.unshift({ topic: 'roads', body: '@administration' });
    writeFileSync(join(dir, 'routing.json'), JSON.stringify(routing));
    const region = loadRules(loadConfig({ RULES_DIR: dir }));
    expect(routeLine('{"id":"z","text":"Огромная яма на дороге, колесо пробил","source":"vk-zavodsk"}', 1, deps(region))).toMatchObject({
      body: 'zavodsk-admin', territory: 'г. Заводск', explain: expect.arrayContaining([expect.stringMatching(/^route roads → administration of г\. Заводск; over roads$/)]),
    });
    // In the city, which has no administration body of its own here, the plain route still wins.
    expect(routeLine('{"id":"e","text":"Огромная яма на дороге на Ленина, колесо пробил"}', 2, deps(region))).toMatchObject({ body: 'city-roads' });
  });
});
