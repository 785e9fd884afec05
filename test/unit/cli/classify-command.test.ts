import { describe, expect, it } from 'vitest';
import { classifyLine } from '../../../src/cli/classify-command.js';
import { loadClassifier } from '../../../src/roles/rules.js';
import { loadConfig } from '../../../src/config/config.js';

const classifier = loadClassifier(loadConfig({}));
const territoryOf = (s: string | undefined) => (s === 'vk-city' ? 'г. Энск' : undefined);

describe('classifyLine (npm run classify)', () => {
  it('writes language, ranked topics, sentiment, type, territory of the source, alert and why', () => {
    const out = classifyLine('{"id":"p1","text":"На Ленина огромная яма, колесо пробил, ужас","source":"vk-city"}', 1, classifier, territoryOf);
    // The street refines the source's city to its district (rules/gazetteer.json).
    expect(out).toMatchObject({ id: 'p1', language: 'rus', topics: [{ id: 'roads' }], subtopic: 'roads.potholes', sentiment: { label: 'negative' }, type: 'complaint', territory: 'г. Энск, Центральный район', alert: true, noise: [] });
    expect(classifyLine('{"id":"p2","text":"Яма у подъезда, колесо пробил","source":"vk-city"}', 2, classifier, territoryOf)).toMatchObject({ territory: 'г. Энск' });
    expect(out?.explain?.length).toBeGreaterThan(2);
  });

  it('bad lines give an error line with the line number; blank lines nothing; nothing throws', () => {
    expect(classifyLine('{oops', 7, classifier, territoryOf)).toMatchObject({ id: 'line-7', error: { code: 'CLASSIFY_INPUT_INVALID' } });
    expect(classifyLine('{"id":"x","text":5}', 8, classifier, territoryOf)).toMatchObject({ id: 'x', error: { message: expect.stringContaining('line 8: text') } });
    expect(classifyLine('   ', 9, classifier, territoryOf)).toBeUndefined();
    expect(classifyLine(JSON.stringify({ id: 1, text: '\ud800'.repeat(10) + 'я'.repeat(100_000) }), 10, classifier, territoryOf)).toMatchObject({ id: '1', territory: null });
  });
});
