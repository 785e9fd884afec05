import { describe, expect, it } from 'vitest';
import { DEFAULT_SOURCES_FILE, loadSources } from '../../../src/roles/sources.js';
import { loadConfig } from '../../../src/config/config.js';
import { createLogger } from '../../../src/log.js';

const log = createLogger({ LOG_LEVEL: 'silent' });

describe('loadSources', () => {
  it('the shipped rules/sources.json builds: every source type known, every key query valid', () => {
    const sources = loadSources(loadConfig({ SOURCES_FILE: DEFAULT_SOURCES_FILE }), log);
    expect([...sources.values()].map((s) => s.connector.type).sort()).toEqual(['ok-group', 'telegram', 'telegram-web', 'vk-search', 'vk-wall', 'vk-wall']);
    expect(sources.get('vk-search-ensk')?.connector.coverage).toEqual(['keyword-search']);
    expect(sources.get('vk-ensk-online')?.intervalMs).toBe(60_000);
  });

  it('with a platform token and no SOURCES_FILE, rules/sources.json is the list; with neither, the demo corpus', () => {
    expect(loadSources(loadConfig({ VK_TOKEN: 'vk1.a.x' }), log).has('vk-ensk-online')).toBe(true);
    expect([...loadSources(loadConfig({}), log).keys()]).toEqual(['demo']);
  });
});
