import type { TextNode } from './text-query.js';
import { stemWord } from './analyze.js';

/** A token quoted for FTS5: the analysis leaves only letters, digits and hyphens, and quotes are doubled anyway. */
function quote(token: string): string {
  return `"${token.replaceAll('"', '""')}"`;
}

/**
 * Compiles a text query to an SQLite FTS5 MATCH expression over two columns: `stems` (word search)
 * and `words` (phrases, word for word). Values are quoted tokens, never raw user text.
 */
export function toFtsMatch(node: TextNode): string {
  switch (node.kind) {
    case 'term':
      return `stems : ${quote(stemWord(node.word))}`;
    case 'phrase':
      return `words : ${quote(node.words.join(' '))}`;
    case 'or':
      return `(${node.nodes.map(toFtsMatch).join(' OR ')})`;
    case 'and': {
      const must = `(${node.must.map(toFtsMatch).join(' AND ')})`;
      if (node.mustNot.length === 0) return must;
      return `${must} NOT (${node.mustNot.map(toFtsMatch).join(' OR ')})`;
    }
  }
}
