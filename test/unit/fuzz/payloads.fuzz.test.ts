import { presetsFileSchema } from '../../../src/core/moderation/presets.js';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeVkComment, normalizeVkPost } from '../../../connectors/vk/normalize.js';
import { normalizeOkComment, normalizeOkTopic } from '../../../connectors/ok/normalize.js';
import { normalizeTgUpdate } from '../../../connectors/telegram/normalize.js';
import { parseReplayLine } from '../../../connectors/replay/replay-line.js';
import { postSchema } from '../../../src/core/post.js';
import { isOtklikError } from '../../../src/core/errors.js';
import { parseJsonRules } from '../../../src/adapters/files/json-rules.js';
import { taxonomySchema } from '../../../src/core/classify/taxonomy.js';
import { cuesSchema } from '../../../src/core/classify/cues.js';
import { alertPolicySchema } from '../../../src/core/classify/alert-policy.js';
import { gazetteerSchema } from '../../../src/core/classify/gazetteer.js';
import { linearModelSchema } from '../../../src/core/classify/linear-model.js';
import { routingRulesSchema } from '../../../src/core/routing/router.js';
import { projectRoot } from '../../../src/paths.js';
import { hostileJson, mutate } from '../../helpers/fuzz.js';

const ctx = { sourceId: 'fuzz', capturedAt: '2026-11-22T10:00:00.000Z' };
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

/** A normaliser either returns a post that passes the post schema, or throws one of our typed errors. */
function wellBehaved(normalize: (raw: unknown) => unknown, raw: unknown): void {
  let out: unknown;
  try {
    out = normalize(raw);
  } catch (e) {
    expect(isOtklikError(e), `untyped error: ${String(e)}`).toBe(true);
    return;
  }
  if (out !== null) expect(postSchema.safeParse(out).success).toBe(true);
}

const VALID = {
  vkPost: { id: 1, owner_id: -7, from_id: 5, date: 1763730000, text: 'Яма на дороге', likes: { count: 1 }, reposts: { count: 0 }, views: { count: 10 } },
  vkComment: { id: 9, owner_id: -7, post_id: 1, from_id: 5, date: 1763730100, text: 'И у нас' },
  okTopic: { id: '155436288200001', created_ms: 1763730000000, owner_ref: 'group:53038939046008', author_ref: 'user:570000000001', media: [{ type: 'text', text: 'Яма' }] },
  okComment: { id: 'c1', author_id: '570000000001', text: 'Да', date: '2026-11-22 10:00:00', reply_to_comment_id: null, like_count: 0 },
  tgUpdate: { update_id: 1, channel_post: { message_id: 3, chat: { id: -1001, type: 'channel', title: 'Энск' }, date: 1763730000, text: 'Яма' } },
};

describe('platform payloads, fuzzed', () => {
  const cases: [string, (raw: unknown) => unknown, unknown][] = [
    ['VK post', (r) => normalizeVkPost(r, ctx), VALID.vkPost],
    ['VK comment', (r) => normalizeVkComment(r, ctx), VALID.vkComment],
    ['OK topic', (r) => normalizeOkTopic(r, ctx), VALID.okTopic],
    ['OK comment', (r) => normalizeOkComment(r, { ...ctx, groupId: '53038939046008', topicId: '155436288200001' }), VALID.okComment],
    ['Telegram update', (r) => normalizeTgUpdate(r, ctx), VALID.tgUpdate],
  ];
  for (const [name, normalize, valid] of cases) {
    it(`${name}: anything at all, or a valid payload with fields broken, gives a post or a typed error`, () => {
      fc.assert(fc.property(hostileJson(), (raw) => wellBehaved(normalize, raw)), { numRuns: RUNS });
      fc.assert(fc.property(mutate(valid), (raw) => wellBehaved(normalize, raw)), { numRuns: RUNS });
    });
  }

  it('replay lines: any text is a post, nothing, or a typed error naming the file and line', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), hostileJson().map((j) => JSON.stringify(j)), mutate({ platform: 'vk', kind: 'post', item: VALID.vkPost }).map((j) => JSON.stringify(j))), (line) => {
        try {
          const p = parseReplayLine(line, 'fuzz.jsonl', 7, ctx);
          if (p) expect(postSchema.safeParse(p).success).toBe(true);
        } catch (e) {
          expect(isOtklikError(e)).toBe(true);
          expect((e as Error).message).toContain('fuzz.jsonl:7');
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('rule files, fuzzed', () => {
  const files: [string, Parameters<typeof parseJsonRules>[1]][] = [
    ['rules/topics.json', taxonomySchema],
    ['rules/cues.json', cuesSchema],
    ['rules/alerts.json', alertPolicySchema],
    ['rules/gazetteer.json', gazetteerSchema],
    ['rules/routing.json', routingRulesSchema],
    ['rules/presets.json', presetsFileSchema],
    ['rules/models/sentiment.json', linearModelSchema],
    ['rules/models/topics.json', linearModelSchema],
    ['rules/models/problem.json', linearModelSchema],
  ];
  for (const [file, schema] of files) {
    it(`${file}: broken copies of the real file fail with RULES_INVALID naming the file`, () => {
      const real = JSON.parse(readFileSync(join(projectRoot, file), 'utf8')) as unknown;
      const runs = file.includes('models') ? Math.ceil(RUNS / 10) : RUNS;
      fc.assert(
        fc.property(fc.oneof(mutate(real).map((j) => JSON.stringify(j)), hostileJson().map((j) => JSON.stringify(j)), fc.string()), (text) => {
          try {
            parseJsonRules(text, schema, file);
          } catch (e) {
            expect(isOtklikError(e) && e.code === 'RULES_INVALID', String(e)).toBe(true);
            expect((e as Error).message.startsWith(`${file}: `)).toBe(true);
          }
        }),
        { numRuns: runs },
      );
    });
  }

  it('deep nesting and huge strings are refused, not a crash', () => {
    for (const text of ['['.repeat(100_000) + ']'.repeat(100_000), `{"version":1,"x":"${'я'.repeat(5_000_000)}"}`, '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}']) {
      expect(() => parseJsonRules(text, routingRulesSchema, 'rules/routing.json')).toThrow(/rules\/routing.json/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
