import stemmerRu from 'natural/lib/natural/stemmers/porter_stemmer_ru.js';
import { normalizeText, tokenize } from '../classify/text.js';

const CYRILLIC = /[\u0400-\u04ff]/u;

/** The stem a word is indexed and searched under: Russian words are stemmed, others kept as written. */
export function stemWord(word: string): string {
  return CYRILLIC.test(word) ? stemmerRu.stem(word) : word;
}

/**
 * The same analysis for documents and queries, so they meet: lower case, ё→е, links and mentions
 * dropped, Russian stemming. `words` keep their form (for phrases), `stems` feed word search.
 */
export function analyzeText(text: string): { words: string[]; stems: string[] } {
  const words = tokenize(normalizeText(text.length > 100_000 ? text.slice(0, 100_000) : text));
  return { words, stems: words.map(stemWord) };
}
