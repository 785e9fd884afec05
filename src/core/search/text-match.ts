import { analyzeText, stemWord } from './analyze.js';
import type { TextNode } from './text-query.js';

/** A text analysed once and matched against many queries. */
export interface AnalyzedText {
  stems: readonly string[];
  stemSet: ReadonlySet<string>;
}

export function analyzeForMatch(text: string): AnalyzedText {
  const { stems } = analyzeText(text);
  return { stems, stemSet: new Set(stems) };
}

function phraseAt(stems: readonly string[], phrase: readonly string[], at: number): boolean {
  for (let k = 0; k < phrase.length; k++) if (stems[at + k] !== phrase[k]) return false;
  return true;
}

/**
 * Whether a text matches a query tree the way the search backends match it: words by stem (so any
 * Russian word form), phrases as consecutive stems, AND / OR / NOT.
 */
export function matchesText(node: TextNode, text: AnalyzedText): boolean {
  switch (node.kind) {
    case 'term':
      return text.stemSet.has(stemWord(node.word));
    case 'phrase': {
      const phrase = node.words.map(stemWord);
      const first = phrase[0];
      if (first === undefined || !text.stemSet.has(first)) return false;
      for (let i = 0; i + phrase.length <= text.stems.length; i++) if (phraseAt(text.stems, phrase, i)) return true;
      return false;
    }
    case 'and':
      return node.must.every((n) => matchesText(n, text)) && !node.mustNot.some((n) => matchesText(n, text));
    case 'or':
      return node.nodes.some((n) => matchesText(n, text));
  }
}

/** One conjunction of the query: what a platform search that has no OR is asked, one call each. */
export interface Conjunction {
  words: string[];
  phrases: string[][];
}

const MAX_CONJUNCTIONS = 16;

/**
 * The query as an OR of plain conjunctions (its positive part): a platform search is run once per
 * conjunction and every result is then checked with `matchesText`, which applies the NOTs. Returns
 * undefined when the expansion would need more than 16 platform queries.
 */
export function positiveConjunctions(node: TextNode): Conjunction[] | undefined {
  const expand = (n: TextNode): Conjunction[] | undefined => {
    switch (n.kind) {
      case 'term':
        return [{ words: [n.word], phrases: [] }];
      case 'phrase':
        return [{ words: [], phrases: [n.words] }];
      case 'or': {
        const out: Conjunction[] = [];
        for (const child of n.nodes) {
          const c = expand(child);
          if (!c) return undefined;
          out.push(...c);
        }
        return out.length > MAX_CONJUNCTIONS ? undefined : out;
      }
      case 'and': {
        let acc: Conjunction[] = [{ words: [], phrases: [] }];
        for (const child of n.must) {
          const c = expand(child);
          if (!c) return undefined;
          const next: Conjunction[] = [];
          for (const a of acc) for (const b of c) next.push({ words: [...a.words, ...b.words], phrases: [...a.phrases, ...b.phrases] });
          if (next.length > MAX_CONJUNCTIONS) return undefined;
          acc = next;
        }
        return acc;
      }
    }
  };
  return expand(node);
}
