import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { OtklikError } from '../core/errors.js';

/** One labelled post, as in `rules/training/*.jsonl` and as moderators' decisions are exported. */
export const labelledPostSchema = z
  .object({
    id: z.string().min(1).optional(),
    text: z.string().min(1),
    topic: z.string().regex(/^[a-z][a-z0-9_]*$/),
    subtopic: z.string().regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/).optional(),
    sentiment: z.enum(['negative', 'neutral', 'positive']).optional(),
    type: z.enum(['complaint', 'question', 'gratitude', 'review', 'other']).optional(),
    /**
     * Does it report a problem someone must fix (or ask the authorities something)? Without it, a
     * complaint or question with a topic does; a moderator's rejection as noise says it does not.
     */
    problem: z.boolean().optional(),
    /** Who labelled it: the project's authors, or a moderator's decision on an incident. */
    origin: z.string().optional(),
  })
  .strict();
export type LabelledPost = z.infer<typeof labelledPostSchema>;

/** Whether a labelled post reports a problem: its own label, or a complaint or question with a topic. */
export function reportsProblem(p: Pick<LabelledPost, 'topic' | 'type' | 'problem'>): boolean {
  return p.problem ?? (p.topic !== 'other' && (p.type === 'complaint' || p.type === 'question'));
}

/** Reads a JSONL file of labelled posts; a bad line stops with the file, the line and the problem. */
export function readLabelledPosts(path: string, displayName = path): LabelledPost[] {
  const out: LabelledPost[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (e) {
        throw new OtklikError('RULES_INVALID', `${displayName}:${i + 1}: not JSON: ${(e as Error).message}`);
      }
      const parsed = labelledPostSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new OtklikError('RULES_INVALID', `${displayName}:${i + 1}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
      }
      out.push(parsed.data);
    });
  return out;
}

/**
 * The fixed split: a post is in the test part when the hash of its text says so (one in five), so
 * the split never changes when examples are added or reordered and numbers stay comparable.
 */
export function isTestExample(p: Pick<LabelledPost, 'text'>): boolean {
  return (createHash('sha1').update(p.text).digest()[0] as number) % 5 === 0;
}
