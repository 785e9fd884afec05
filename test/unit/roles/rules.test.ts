import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRules } from '../../../src/roles/rules.js';
import { loadConfig } from '../../../src/config/config.js';
import { projectRoot } from '../../../src/paths.js';

describe('loading the rules', () => {
  it('a route naming a topic the taxonomy does not have stops start-up, naming the file and the route', () => {
    const routing = JSON.parse(readFileSync(join(projectRoot, 'rules/routing.json'), 'utf8')) as { routes: { topic: string; body: string }[] };
    routing.routes.push({ topic: 'raods', body: 'city-roads' });
    const path = join(mkdtempSync(join(tmpdir(), 'otklik-rules-')), 'routing.json');
    writeFileSync(path, JSON.stringify(routing));
    let error: unknown;
    try {
      loadRules(loadConfig({ ROUTING_FILE: path }));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'RULES_INVALID', message: expect.stringContaining(`${path}: routes.${routing.routes.length - 1}.topic: unknown topic "raods"`) });
  });

  it('an answer template for bodies the routing file does not have is left out and said; its other bodies keep it', () => {
    const presets = JSON.parse(readFileSync(join(projectRoot, 'rules/presets.json'), 'utf8')) as { answerTemplates: { bodies?: string[] }[] };
    presets.answerTemplates.push({ id: 'ghost', title: 'Г', kind: 'final', text: 'т', bodies: ['city-ghosts'] } as { bodies?: string[] });
    const path = join(mkdtempSync(join(tmpdir(), 'otklik-rules-')), 'presets.json');
    writeFileSync(path, JSON.stringify(presets));
    presets.answerTemplates.push({ id: 'half', title: 'П', kind: 'final', text: 'т', bodies: ['city-ghosts', 'city-roads'] } as { bodies?: string[] });
    writeFileSync(path, JSON.stringify(presets));
    const rules = loadRules(loadConfig({ PRESETS_FILE: path }));
    expect(rules.presets.answerTemplates.map((t) => t.id)).not.toContain('ghost');
    expect(rules.presets.answerTemplates.find((t) => t.id === 'half')?.bodies).toEqual(['city-roads']);
    expect(rules.presetsDropped).toEqual(['ghost: city-ghosts', 'half: city-ghosts']);
  });

  it('the shipped rules load', () => {
    expect(loadRules(loadConfig({})).router.routes().routes.length).toBeGreaterThan(3);
  });
});
