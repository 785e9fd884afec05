import { z } from 'zod';
import { TermMatcher, termSchema, type AnalyzedTokens } from './terms.js';

const terms = z.array(termSchema).default([]);

/**
 * The words that carry feeling and intent (`rules/cues.json`): the sentiment lexicon, how thanks,
 * questions and reviews are worded, what makes a message urgent, and the ironic turns that mark
 * sarcasm ("спасибо за очередную яму"). Same term syntax as the topics.
 */
export const cuesSchema = z
  .object({
    version: z.literal(1),
    sentiment: z.object({ negative: terms, positive: terms }).strict(),
    gratitude: terms,
    /** Question words: count when they open a sentence. */
    questionStarts: terms,
    review: terms,
    urgent: terms,
    sarcasm: terms,
  })
  .strict();
export type Cues = z.infer<typeof cuesSchema>;

export type CueKind = 'negative' | 'positive' | 'gratitude' | 'question' | 'review' | 'urgent' | 'sarcasm';

export interface CueHit {
  kind: CueKind;
  weight: number;
  start: number;
  end: number;
  term: string;
}

/** All cue lists compiled into one matcher. */
export class CueRules {
  private readonly matcher = new TermMatcher<CueKind>();

  constructor(cues: Cues) {
    const add = (list: readonly string[], kind: CueKind) => list.forEach((t) => this.matcher.add(t, kind));
    add(cues.sentiment.negative, 'negative');
    add(cues.sentiment.positive, 'positive');
    add(cues.gratitude, 'gratitude');
    add(cues.questionStarts, 'question');
    add(cues.review, 'review');
    add(cues.urgent, 'urgent');
    add(cues.sarcasm, 'sarcasm');
  }

  match(text: AnalyzedTokens): CueHit[] {
    return this.matcher.match(text).map((h) => ({ kind: h.payload, weight: h.term.weight, start: h.start, end: h.end, term: h.term.source }));
  }
}
