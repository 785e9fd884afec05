import { z } from 'zod';
import type { Post } from '../../src/core/post.js';
import { OtklikError, isOtklikError } from '../../src/core/errors.js';
import type { NormalizeContext } from '../../src/connector/normalize-context.js';
import { normalizeVkComment, normalizeVkPost } from '../vk/normalize.js';
import { normalizeOkComment, normalizeOkTopic } from '../ok/normalize.js';
import { normalizeTgUpdate } from '../telegram/normalize.js';

/**
 * One line of a replay file: a platform payload exactly as the platform's API returns it,
 * wrapped with what the API call itself knew (which topic an OK comment belongs to).
 */
const vkLine = z.object({ platform: z.literal('vk'), kind: z.enum(['post', 'comment']), item: z.unknown() });
const okLine = z.discriminatedUnion('kind', [
  z.object({ platform: z.literal('ok'), kind: z.literal('post'), item: z.unknown() }),
  z.object({
    platform: z.literal('ok'),
    kind: z.literal('comment'),
    topic: z.object({ gid: z.string().regex(/^\d+$/), id: z.string().regex(/^\d+$/) }),
    item: z.unknown(),
  }),
]);
const tgLine = z.object({ platform: z.literal('tg'), item: z.unknown() });

export const replayLineSchema = z.union([vkLine, okLine, tgLine]);
const lineSchemas = { vk: vkLine, ok: okLine, tg: tgLine } as const;
const platformSchema = z.object({ platform: z.enum(['vk', 'ok', 'tg']) });

export type ReplayLine = z.infer<typeof replayLineSchema>;

/** Parses and normalises one line. Throws a typed error naming the file, line and field. */
export function parseReplayLine(text: string, file: string, line: number, ctx: NormalizeContext): Post | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new OtklikError('REPLAY_LINE_MALFORMED', `${file}:${line}: not valid JSON: ${(e as Error).message}`, {
      details: { file, line },
    });
  }
  const head = platformSchema.safeParse(json);
  const env = head.success ? lineSchemas[head.data.platform].safeParse(json) : head;
  if (!env.success) {
    const issue = env.error.issues[0];
    const field = issue?.path.join('.') || '(root)';
    throw new OtklikError('REPLAY_LINE_MALFORMED', `${file}:${line}: field ${field}: ${issue?.message ?? 'invalid'}`, {
      details: { file, line, field },
    });
  }
  try {
    return normalize(env.data, ctx);
  } catch (e) {
    if (isOtklikError(e)) {
      throw new OtklikError(e.code, `${file}:${line}: ${e.message}`, {
        details: { ...e.details, file, line },
        cause: e,
      });
    }
    throw e;
  }
}

function normalize(l: ReplayLine, ctx: NormalizeContext): Post | null {
  switch (l.platform) {
    case 'vk':
      return l.kind === 'post' ? normalizeVkPost(l.item, ctx) : normalizeVkComment(l.item, ctx);
    case 'ok':
      return l.kind === 'post'
        ? normalizeOkTopic(l.item, ctx)
        : normalizeOkComment(l.item, { ...ctx, groupId: l.topic.gid, topicId: l.topic.id });
    case 'tg':
      return normalizeTgUpdate(l.item, ctx);
  }
}
