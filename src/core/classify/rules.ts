import { z } from 'zod';

/**
 * Topic rules: each topic lists word stems (a token matches when it starts with the stem) and
 * stems that veto it. Kept deliberately simple; the classification issue replaces the model.
 */
const stem = z.string().min(2).max(60).regex(/^[\p{Ll}\p{N}-]+$/u, 'lower-case letters only (ё written as е)');

export const topicRulesSchema = z
  .object({
    version: z.literal(1),
    topics: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z_]+$/),
            name: z.string().min(1),
            stems: z.array(stem).min(1),
            /** Context words: count half, so they break ties but never make a topic alone. */
            weak: z.array(stem).default([]),
            exclude: z.array(stem).default([]),
          })
          .strict(),
      )
      .min(1),
    sentiment: z.object({ negative: z.array(stem), positive: z.array(stem) }).strict(),
    gratitude: z.array(stem),
    questionStarts: z.array(stem),
    spam: z.array(stem),
    urgent: z.array(stem),
  })
  .strict();

export type TopicRules = z.infer<typeof topicRulesSchema>;
