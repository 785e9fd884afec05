import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OK_DOCUMENTED_PARAMS, OK_UNDOCUMENTED_PARAMS, okCallProblems } from '../../../fixtures/ok-methods.js';

const DOCS = new URL('../../../../../shared/references/ok-api-docs/docs/method/ru/', import.meta.url);

describe('OK method parameters the fake holds the connector to', () => {
  // The docs live outside the repository (no licence to copy them): checked where they are present.
  it.skipIf(!existsSync(DOCS))('match the $params entries of OK\'s own method docs; the undocumented one is absent there', () => {
    for (const [method, params] of Object.entries(OK_DOCUMENTED_PARAMS)) {
      const [group] = method.split('.');
      const text = readFileSync(new URL(`${group}/${method}.md`, DOCS), 'utf8');
      expect([...text.matchAll(/^\$params#(\w+)/gm)].map((m) => m[1]), method).toEqual(params);
    }
    for (const method of Object.keys(OK_UNDOCUMENTED_PARAMS)) expect(existsSync(new URL(`${method.split('.')[0]}/${method}.md`, DOCS))).toBe(false);
  });

  it('flag an undocumented parameter and a documented range left', () => {
    expect(okCallProblems('group.getStatTopics', { gid: '1', count: '5', anchor: 'a', direction: 'FORWARD' })).toEqual(['group.getStatTopics: parameter direction is not documented']);
    expect(okCallProblems('mediatopic.getByIds', { topic_ids: '1,2', media_limit: '10' })).toEqual(['mediatopic.getByIds: media_limit=10 is outside 1..3']);
    expect(okCallProblems('mediatopic.getByIds', { topic_ids: '1', application_key: 'k', sig: 's' })).toEqual([]);
    expect(okCallProblems('stream.get', {})).toHaveLength(1);
  });
});
