import { OtklikError } from '../errors.js';
import { normalizeText, tokenize } from '../classify/text.js';

/**
 * A full-text query as a tree. Words are matched by stem; phrases word by word in order; NOT only
 * narrows a conjunction (every adapter can express that, and "everything except x" is not a search).
 */
export type TextNode =
  | { kind: 'term'; word: string }
  | { kind: 'phrase'; words: string[] }
  | { kind: 'and'; must: TextNode[]; mustNot: TextNode[] }
  | { kind: 'or'; nodes: TextNode[] };

const MAX_TERMS = 32;
const MAX_DEPTH = 8;

type Token = { t: 'word'; v: string; at: number } | { t: 'phrase'; v: string[]; at: number } | { t: 'and' | 'or' | 'not' | '(' | ')'; at: number };

const OPERATORS: Record<string, 'and' | 'or' | 'not'> = { AND: 'and', OR: 'or', NOT: 'not', И: 'and', ИЛИ: 'or', НЕ: 'not' };

function bad(message: string, at?: number): OtklikError {
  return new OtklikError('SEARCH_QUERY_INVALID', at === undefined ? message : `${message} (at character ${at + 1})`, { details: at === undefined ? {} : { position: at } });
}

function lex(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (/\s/u.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: c, at: i });
      i++;
    } else if (c === '"' || c === '«') {
      const close = c === '"' ? '"' : '»';
      const end = input.indexOf(close, i + 1);
      if (end === -1) throw bad('a phrase is not closed with a quote', i);
      const words = tokenize(normalizeText(input.slice(i + 1, end)));
      if (words.length > 0) out.push({ t: 'phrase', v: words, at: i });
      i = end + 1;
    } else if (c === '-' && (i === 0 || /[\s(]/u.test(input[i - 1] ?? ' '))) {
      out.push({ t: 'not', at: i });
      i++;
    } else {
      let j = i;
      while (j < input.length && !/[\s()"«»]/u.test(input[j] as string)) j++;
      const raw = input.slice(i, j);
      const op = OPERATORS[raw];
      if (op) out.push({ t: op, at: i });
      else for (const w of tokenize(normalizeText(raw))) out.push({ t: 'word', v: w, at: i });
      i = j;
    }
  }
  return out;
}

/** Parses a search string: words, "phrases", AND / OR / NOT (or И / ИЛИ / НЕ, or -word), parentheses. */
export function parseTextQuery(input: string): TextNode | undefined {
  const tokens = lex(input);
  if (tokens.length === 0) return undefined;
  let pos = 0;
  let terms = 0;
  const peek = () => tokens[pos];

  const parseOr = (depth: number): TextNode => {
    if (depth > MAX_DEPTH) throw bad('the query is nested too deeply');
    const nodes = [parseAnd(depth)];
    while (peek()?.t === 'or') {
      pos++;
      nodes.push(parseAnd(depth));
    }
    return nodes.length === 1 ? (nodes[0] as TextNode) : { kind: 'or', nodes };
  };

  const parseAnd = (depth: number): TextNode => {
    const must: TextNode[] = [];
    const mustNot: TextNode[] = [];
    for (;;) {
      const tok = peek();
      if (!tok || tok.t === 'or' || tok.t === ')') break;
      if (tok.t === 'and') {
        pos++;
        continue;
      }
      if (tok.t === 'not') {
        pos++;
        mustNot.push(parsePrimary(depth));
      } else {
        must.push(parsePrimary(depth));
      }
    }
    if (must.length === 0) {
      const at = peek()?.at ?? tokens[tokens.length - 1]?.at;
      throw bad(mustNot.length > 0 ? 'NOT needs at least one word that must match beside it' : 'an operator has nothing to combine', at);
    }
    if (mustNot.length === 0 && must.length === 1) return must[0] as TextNode;
    return { kind: 'and', must, mustNot };
  };

  const parsePrimary = (depth: number): TextNode => {
    const tok = tokens[pos];
    if (!tok) throw bad('the query ends where a word was expected');
    pos++;
    if (tok.t === '(') {
      const inner = parseOr(depth + 1);
      if (peek()?.t !== ')') throw bad('a parenthesis is not closed', tok.at);
      pos++;
      return inner;
    }
    if (tok.t === 'word' || tok.t === 'phrase') {
      terms += tok.t === 'word' ? 1 : tok.v.length;
      if (terms > MAX_TERMS) throw bad(`the query has more than ${MAX_TERMS} words`);
      return tok.t === 'word' ? { kind: 'term', word: tok.v } : tok.v.length === 1 ? { kind: 'term', word: tok.v[0] as string } : { kind: 'phrase', words: tok.v };
    }
    throw bad(`"${tok.t === ')' ? ')' : tok.t.toUpperCase()}" is not expected here`, tok.at);
  };

  const tree = parseOr(0);
  const rest = peek();
  if (rest) throw bad(rest.t === ')' ? 'a closing parenthesis has no opening one' : 'unexpected text', rest.at);
  return tree;
}
