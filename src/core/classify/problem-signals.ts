import type { CueHit } from './cues.js';
import { NEGATORS, type ProblemSignals } from './problem.js';
import type { GroupScore } from './taxonomy.js';

// Conversation rather than report: smileys and bracket runs, face emoji, and talking to "ты".
const SMILEY = /(?:^|\s)[:;]-?[()D*](?!\p{L})/u;
const CHAT_WORDS = new Set(['ты', 'тебя', 'тебе', 'тобой', 'твой', 'твоя', 'твои', 'твоего', 'твоей', 'лол']);

function isChat(text: string, words: readonly string[], faces: boolean): boolean {
  if (faces || text.includes('))') || text.includes('((')) return true;
  if ((text.includes(':') || text.includes(';')) && SMILEY.test(text)) return true;
  return words.some((w) => CHAT_WORDS.has(w) || w.startsWith('хаха'));
}

/**
 * A fault said not to be there ("крыша не течёт", "ничем не повреждён") is no fault. Terms that
 * carry their own "не" ("не горит", "не работает") stay: the hit starts on the negator.
 */
function withoutNegatedFaults(cues: readonly CueHit[], words: readonly string[]): readonly CueHit[] {
  const negated = (h: CueHit) => h.kind === 'deficiency' && NEGATORS.has(words[h.start - 1] as string) && !NEGATORS.has(words[h.start] as string);
  // Most posts negate no fault: keep their list rather than copy it on every post.
  return cues.some(negated) ? cues.filter((h) => !negated(h)) : cues;
}

/** What the problem detector reads of a post, gathered from the classifier's steps. */
export function problemSignals(text: string, cues: readonly CueHit[], sentenceStarts: ReadonlySet<number>, group: GroupScore | undefined, houses: number, ads: number, words: readonly string[], faces: boolean): ProblemSignals {
  return {
    words,
    cues: withoutNegatedFaults(cues, words),
    sentenceStarts,
    questionMark: text.includes('?'),
    ...(group ? { topic: { group: group.group, score: group.score, termScore: group.termScore, positions: group.positions } } : {}),
    houses,
    ads,
    tokens: words.length,
    chat: isChat(text, words, faces),
  };
}
