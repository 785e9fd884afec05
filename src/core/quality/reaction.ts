import { normalizeText, tokenize } from '../classify/text.js';
import { matcherOf, withStems } from '../classify/terms.js';

/**
 * What people say under a post after the body answered it: «спасибо, убрали» or «так ничего и не
 * сделали». A satisfaction signal per incident, explainable by the phrases found. Pure.
 */
export type ReactionVerdict = 'satisfied' | 'unsatisfied' | 'neutral';

export interface Reaction {
  verdict: ReactionVerdict;
  cues: string[];
}

/** Nothing changed, or the answer is not believed. */
const UNSATISFIED = [
  'ничего не сделал*', 'ничего не сделано', 'так и не', 'не убрал*', 'не сделал*', 'не починил*', 'не заделал*', 'не вывезл*', 'не приехал*', 'никто не приехал',
  'до сих пор', 'опять', 'снова', 'вранье', 'враньё', 'врете', 'врут', 'ложь', 'отписк*', 'обман*', 'как было', 'без изменений', 'воз и ныне', 'ничего не изменил*',
  'ничего не поменял*', 'только обещают', 'обещани*', 'где результат', 'толку нет', 'бесполезно',
];
/** The problem is gone, or thanks for the work. */
const SATISFIED = ['спасибо', 'благодар*', 'убрали', 'сделали', 'починили', 'заделали', 'вывезли', 'отремонтировали', 'наконец', 'теперь нормально', 'молодцы', 'оперативно', 'быстро отреагировал*'];

const unsatisfied = matcherOf(UNSATISFIED);
const satisfied = matcherOf(SATISFIED);

export function judgeReaction(text: string): Reaction {
  const tokens = withStems(tokenize(normalizeText(text)));
  const bad = unsatisfied.match(tokens);
  // «не убрали» is not «убрали»: a satisfied word right after «не» does not count.
  const good = satisfied.match(tokens).filter((h) => tokens.tokens[h.start - 1] !== 'не' && !bad.some((b) => h.start >= b.start && h.start < b.end));
  const said = (hits: typeof bad) => [...new Set(hits.map((h) => tokens.tokens.slice(h.start, h.end).join(' ')))];
  if (bad.length > 0) return { verdict: 'unsatisfied', cues: said(bad) };
  if (good.length > 0) return { verdict: 'satisfied', cues: said(good) };
  return { verdict: 'neutral', cues: [] };
}

/**
 * An incident's satisfaction from the reactions in its thread: how many were satisfied and
 * unsatisfied, the share of satisfied among those who judged, and the incident's verdict — the
 * author's own last word when they spoke (it was their problem), else the majority (a tie says nothing).
 */
export function satisfaction(reactions: readonly { verdict: ReactionVerdict; byAuthor?: boolean }[]): {
  satisfied: number;
  unsatisfied: number;
  score: number | null;
  author: 'satisfied' | 'unsatisfied' | null;
  verdict: 'satisfied' | 'unsatisfied' | null;
} {
  const s = reactions.filter((r) => r.verdict === 'satisfied').length;
  const u = reactions.filter((r) => r.verdict === 'unsatisfied').length;
  const last = reactions.filter((r) => r.byAuthor === true && r.verdict !== 'neutral').at(-1)?.verdict;
  const author = last === 'satisfied' || last === 'unsatisfied' ? last : null;
  return {
    satisfied: s,
    unsatisfied: u,
    score: s + u === 0 ? null : Math.round((s / (s + u)) * 100) / 100,
    author,
    verdict: author ?? (s > u ? 'satisfied' : u > s ? 'unsatisfied' : null),
  };
}
