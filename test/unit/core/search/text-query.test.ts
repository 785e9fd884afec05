import { describe, expect, it } from 'vitest';
import { parseTextQuery } from '../../../../src/core/search/text-query.js';
import { toFtsMatch } from '../../../../src/core/search/fts-query.js';
import { analyzeText } from '../../../../src/core/search/analyze.js';
import { parseQuery, searchQuerySchema } from '../../../../src/core/search/query.js';

describe('text query parser', () => {
  it('words, phrases and implicit AND', () => {
    expect(parseTextQuery('Яма  "горячей воды"')).toEqual({ kind: 'and', must: [{ kind: 'term', word: 'яма' }, { kind: 'phrase', words: ['горячей', 'воды'] }], mustNot: [] });
  });
  it('OR binds looser than AND; parentheses group; ё folds to е', () => {
    expect(parseTextQuery('(ёлка OR сугроб) AND двор')).toEqual({
      kind: 'and',
      must: [{ kind: 'or', nodes: [{ kind: 'term', word: 'елка' }, { kind: 'term', word: 'сугроб' }] }, { kind: 'term', word: 'двор' }],
      mustNot: [],
    });
    expect(parseTextQuery('яма ИЛИ выбоина И НЕ асфальт')).toEqual({
      kind: 'or',
      nodes: [{ kind: 'term', word: 'яма' }, { kind: 'and', must: [{ kind: 'term', word: 'выбоина' }], mustNot: [{ kind: 'term', word: 'асфальт' }] }],
    });
  });
  it('-word and NOT exclude; a hyphen inside a word is part of it', () => {
    expect(parseTextQuery('снег -крыша')).toEqual({ kind: 'and', must: [{ kind: 'term', word: 'снег' }], mustNot: [{ kind: 'term', word: 'крыша' }] });
    expect(parseTextQuery('северо-запад')).toEqual({ kind: 'term', word: 'северо-запад' });
  });
  it.each([
    ['"незакрытая фраза', /phrase is not closed/],
    ['(яма OR выбоина', /parenthesis is not closed/],
    ['яма)', /closing parenthesis has no opening one/],
    ['NOT яма', /NOT needs at least one word/],
    ['-яма -выбоина', /NOT needs at least one word/],
    ['яма OR', /ends where a word was expected|nothing to combine/],
    ['AND', /nothing to combine/],
    [Array.from({ length: 40 }, (_, i) => `слово${i}`).join(' '), /more than 32 words/],
    ['('.repeat(20) + 'яма' + ')'.repeat(20), /nested too deeply/],
  ])('refuses %j with a clear message', (q, message) => {
    expect(() => parseTextQuery(q)).toThrow(expect.objectContaining({ code: 'SEARCH_QUERY_INVALID', message: expect.stringMatching(message) }));
  });
  it('compiles to a quoted FTS5 expression that no input can break out of', () => {
    expect(toFtsMatch(parseTextQuery('ямы "горячей воды" -асфальт')!)).toBe('(stems : "ям" AND words : "горячей воды") NOT (stems : "асфальт")');
    // Quotes, colons, stars and FTS operators in words are not operators.
    expect(toFtsMatch(parseTextQuery('NEAR(a b) col:x* "x""y"')!)).not.toMatch(/NEAR\(|\*|col:/);
  });
  it('an empty query is no text query', () => {
    expect(parseTextQuery('   ')).toBeUndefined();
    expect(parseTextQuery('🙂 https://vk.com')).toBeUndefined();
  });
  it('analysis stems Russian words the same for documents and queries', () => {
    expect(analyzeText('Новости о ямах и Ёлках').stems).toEqual(['новост', 'о', 'ям', 'и', 'елк']);
  });
});

describe('search parameters', () => {
  it('parses lists, dates and paging', () => {
    const q = parseQuery(searchQuerySchema, { q: 'яма', topic: 'roads,snow', platform: ['vk'], from: '2026-11-01T00:00:00Z', page: '2', size: '10' });
    expect(q).toMatchObject({ topic: ['roads', 'snow'], platform: ['vk'], page: 2, size: 10, sort: 'newest', text: { kind: 'term', word: 'яма' } });
  });
  it('a territory keeps its comma (a district is not its city plus a stray word); several are repeated', () => {
    expect(parseQuery(searchQuerySchema, { territory: 'г. Энск, Северный район' }).territory).toEqual(['г. Энск, Северный район']);
    expect(parseQuery(searchQuerySchema, { territory: ['г. Энск, Северный район', 'г. Заводск'] }).territory).toEqual(['г. Энск, Северный район', 'г. Заводск']);
  });
  it.each([
    [{ from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' }, /"to" is before "from"/],
    [{ page: '1000', size: '100' }, /results past 10000 are not served/],
    [{ colour: 'red' }, /unknown parameter\(s\) colour/],
    [{ sentiment: 'angry' }, /sentiment/],
    [{ from: 'yesterday' }, /ISO 8601 instant/],
    [{ size: '1000' }, /size/],
    [{ q: '"oops' }, /phrase is not closed/],
  ])('refuses %j', (raw, message) => {
    expect(() => parseQuery(searchQuerySchema, raw)).toThrow(expect.objectContaining({ code: 'SEARCH_QUERY_INVALID', message: expect.stringMatching(message) }));
  });
});
