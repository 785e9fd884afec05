import stemmerRu from 'natural/lib/natural/stemmers/porter_stemmer_ru.js';
import { normalizeText, tokenize } from '../classify/text.js';

const CYRILLIC = /[\u0400-\u04ff]/u;

const STEM_CACHE_MAX = 100_000;
const stemCache = new Map<string, string>();

/** The stem a word is indexed and searched under: Russian words are stemmed, others kept as written. */
export function stemWord(word: string): string {
  const hit = stemCache.get(word);
  if (hit !== undefined) return hit;
  const stem = CYRILLIC.test(word) ? stemmerRu.stem(word) : word;
  // Social-media vocabulary repeats: a bounded memo saves most stemming; dropped whole when full.
  if (stemCache.size >= STEM_CACHE_MAX) stemCache.clear();
  stemCache.set(word, stem);
  return stem;
}

/**
 * The same analysis for documents and queries, so they meet: lower case, ё→е, links and mentions
 * dropped, Russian stemming. `words` keep their form (for phrases), `stems` feed word search.
 */
export function analyzeText(text: string): { words: string[]; stems: string[] } {
  const words = tokenize(normalizeText(text.length > 100_000 ? text.slice(0, 100_000) : text));
  return { words, stems: words.map(stemWord) };
}
