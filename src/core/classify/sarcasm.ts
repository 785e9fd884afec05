import type { CueHit, CueRules } from './cues.js';
import type { LexiconEvidence, Sentiment } from './sentiment.js';
import type { TopicRules } from './taxonomy.js';
import { withStems } from './terms.js';

// A word in quotes is the commonest written sarcasm: «отличные» дороги, отличные «дороги». Names
// of organisations are quoted too («Водоканал»), but they are capitalised.
const QUOTED_WORD = /[«"“„]\s*(\p{Ll}[\p{L}-]*)\s*[»"”]/gu;

/**
 * Sarcasm found, and how: an ironic turn ("спасибо за очередную", "как всегда") may be about a
 * passing word; quotes (`quotes`) single out the thing the irony is about.
 */
export interface Sarcasm {
  kind: 'turn' | 'quotes';
  why: string;
}

/** Praise that cannot be meant: an ironic turn, or a praise word in quotes, in a post that complains. */
export function sarcasmIn(text: string, hits: readonly CueHit[], lex: LexiconEvidence, topical: boolean, label: Sentiment, rules: { cues: CueRules; topics: TopicRules }): Sarcasm | undefined {
  const ironic = hits.find((h) => h.kind === 'sarcasm');
  const complains = lex.negative > 0 || label === 'negative';
  if (ironic && (complains || topical) && (lex.positive > 0 || ironic.term.includes(' ') || complains)) return { kind: 'turn', why: `"${ironic.term}" in a post that ${complains ? 'complains' : 'names a problem'}` };
  if (!complains && !topical) return undefined;
  for (const m of text.matchAll(QUOTED_WORD)) {
    const word = (m[1] ?? '').replaceAll('ё', 'е');
    const quoted = withStems([word]);
    if (rules.cues.match(quoted).some((h) => h.kind === 'positive')) return { kind: 'quotes', why: `praise in quotes «${word}»` };
    if (lex.positive > 0 && rules.topics.score(quoted).length > 0) return { kind: 'quotes', why: `praise of a «${word}» in quotes` };
  }
  return undefined;
}
