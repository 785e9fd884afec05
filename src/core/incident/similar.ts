import type { Incident } from './incident.js';
import { normalizeText, tokenize } from '../classify/text.js';
import { houseNumbers } from '../classify/addresses.js';

/**
 * Likely duplicates of an alert for the moderator to merge: the same problem raised by another
 * post that duplicate detection did not attach (other words, another community, a day later).
 * Near text counts most; the same topic, territory and house make a weak text match worth showing.
 * These are suggestions a person confirms, so recall matters more than precision.
 */
export interface SimilarIncident {
  incident: Incident;
  /** 0..1, higher is more likely the same problem. */
  score: number;
  /** Share of word stems the two texts have in common (Jaccard). */
  textSimilarity: number;
  sameTopic: boolean;
  sameTerritory: boolean;
  /** House numbers both name (the same address, or the same number on another street). */
  houses: string[];
}

const STEM_LENGTH = 5;
/** Short function words say nothing about the problem. */
const MIN_WORD = 3;

/** A cheap stem: the first letters of each word; enough to match word forms of the same word. */
function stems(text: string): Set<string> {
  const out = new Set<string>();
  for (const t of tokenize(normalizeText(text))) if (t.length >= MIN_WORD && !/^\d/.test(t)) out.add(t.slice(0, STEM_LENGTH));
  return out;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  for (const x of a) if (b.has(x)) common++;
  return common / (a.size + b.size - common);
}

const NUMBER = /^\d{1,4}[а-я]?$/u;

interface Analysed {
  stems: Set<string>;
  tokens: string[];
  houses: Set<string>;
}

function analyse(text: string): Analysed {
  const tokens = tokenize(normalizeText(text));
  return { tokens, stems: stems(text), houses: new Set(houseNumbers(tokens)) };
}

/**
 * Numbers that name a house in a text: after «дом»/a street word (houseNumbers), or right after a
 * word both texts share («Садовая 12» against «улица Садовая, дом 12»).
 */
function addressNumbers(a: Analysed, shared: ReadonlySet<string>): Set<string> {
  const out = new Set(a.houses);
  a.tokens.forEach((t, i) => {
    const before = a.tokens[i - 1];
    if (NUMBER.test(t) && before !== undefined && shared.has(before.slice(0, STEM_LENGTH))) out.add(t);
  });
  return out;
}

export interface SimilarityOptions {
  /** Is territory `inner` the same as or inside `outer`? */
  contains: (outer: string, inner: string) => boolean;
  limit?: number;
  /** Below this score a candidate is not shown. */
  minScore?: number;
}

/** The candidates most likely about the same problem as `target`, best first. Pure. */
export function similarIncidents(target: Incident, candidates: readonly Incident[], o: SimilarityOptions): SimilarIncident[] {
  const mine = analyse(target.text ?? '');
  const out: SimilarIncident[] = [];
  for (const c of candidates) {
    if (c.id === target.id) continue;
    const theirs = analyse(c.text ?? '');
    const textSimilarity = jaccard(mine.stems, theirs.stems);
    const sameTopic = c.topic === target.topic;
    const sameTerritory =
      target.territory !== undefined && c.territory !== undefined && (o.contains(target.territory, c.territory) || o.contains(c.territory, target.territory));
    const shared = new Set([...mine.stems].filter((x) => theirs.stems.has(x)));
    const theirNumbers = addressNumbers(theirs, shared);
    const houses = [...addressNumbers(mine, shared)].filter((h) => theirNumbers.has(h)).sort();
    // A weak text match is worth showing only where topic and place agree too.
    const score = Math.min(1, 0.6 * Math.min(1, textSimilarity * 2) + (sameTopic ? 0.15 : 0) + (sameTerritory ? 0.1 : 0) + (houses.length > 0 && sameTopic ? 0.15 : 0));
    if (score < (o.minScore ?? 0.45)) continue;
    out.push({ incident: c, score: Math.round(score * 1000) / 1000, textSimilarity: Math.round(textSimilarity * 1000) / 1000, sameTopic, sameTerritory, houses });
  }
  return out.sort((a, b) => b.score - a.score || b.incident.createdAt.localeCompare(a.incident.createdAt)).slice(0, o.limit ?? 5);
}
