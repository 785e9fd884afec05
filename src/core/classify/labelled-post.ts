import { z } from 'zod';

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
    /** The body that answered for it (a routing decision: the router learns from it). */
    body: z.string().min(1).max(100).optional(),
    /** Its place, as the gazetteer names territories (routing depends on it). */
    territory: z.string().min(1).max(200).optional(),
  })
  .strict();
export type LabelledPost = z.infer<typeof labelledPostSchema>;

/** Whether a labelled post reports a problem: its own label, or a complaint or question with a topic. */
export function reportsProblem(p: Pick<LabelledPost, 'topic' | 'type' | 'problem'>): boolean {
  return p.problem ?? (p.topic !== 'other' && (p.type === 'complaint' || p.type === 'question'));
}

/** Reads a JSONL file of labelled posts; a bad line stops with the file, the line and the problem. */
