import { z } from 'zod';
import { stemWord } from '../search/analyze.js';
import { OtklikError } from '../errors.js';

/**
 * The term syntax every rule file uses, so analysts learn it once:
 *
 *   яма              any form of the word (compared by Russian stem: яма, ямы, ямой)
 *   выбоин*          any word that begins with these letters (выбоина, выбоинами)
 *   открытый люк     a phrase: these words in a row, each in any form
 *   открыт* люк^2    the same with a weight (default 1)
 *   =дорогой         exactly this word form (for exclusions: "дорогой друг" is not a road)
 *
 * Case and ё do not matter (rules are folded like the text: lower case, ё→е).
 */
export interface TermWord {
  kind: 'stem' | 'prefix' | 'exact';
  value: string;
}

export interface Term {
  source: string;
  words: TermWord[];
  weight: number;
}

const WORD = /^=?[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*\*?$/u;

/** Parses one term; the error message says what is wrong, for the rule loader to report with the key. */
export function parseTerm(source: string): Term | string {
  const folded = source.toLowerCase().replaceAll('ё', 'е').trim();
  let body = folded;
  let weight = 1;
  const caret = folded.lastIndexOf('^');
  if (caret >= 0) {
    const w = Number(folded.slice(caret + 1));
    if (folded.slice(caret + 1).trim() === '' || !Number.isFinite(w) || w <= 0 || w > 100) return `weight after ^ must be a number in (0, 100], got "${folded.slice(caret + 1)}"`;
    weight = w;
    body = folded.slice(0, caret).trim();
  }
  const parts = body.split(/\s+/).filter((p) => p !== '');
  if (parts.length === 0) return 'empty term';
  if (parts.length > 6) return 'a phrase may have at most 6 words';
  const words: TermWord[] = [];
  for (const p of parts) {
    if (!WORD.test(p)) return `"${p}" is not a word (letters, digits and inner hyphens; = only in front, * only at the end)`;
    if (p.startsWith('=')) {
      if (p.endsWith('*')) return `"${p}": = (exact form) and * (prefix) do not combine`;
      words.push({ kind: 'exact', value: p.slice(1) });
    } else if (p.endsWith('*')) {
      const prefix = p.slice(0, -1);
      if (prefix.length < 3) return `"${p}": a prefix needs at least 3 letters before *`;
      words.push({ kind: 'prefix', value: prefix });
    } else {
      words.push({ kind: 'stem', value: stemWord(p) });
    }
  }
  return { source, words, weight };
}

/** A zod string that must be a valid term; the loader turns its message into "file: key: problem". */
export const termSchema = z
  .string()
  .max(200)
  .superRefine((s, ctx) => {
    const t = parseTerm(s);
    if (typeof t === 'string') ctx.addIssue({ code: z.ZodIssueCode.custom, message: t });
  });

export interface TermHit<P> {
  payload: P;
  term: Term;
  /** Token positions covered, [start, end). */
  start: number;
  end: number;
}

interface Entry<P> {
  payload: P;
  term: Term;
}

/** The text as the matcher sees it: folded tokens and their stems, computed once per post. */
export interface AnalyzedTokens {
  tokens: readonly string[];
  stems: readonly string[];
  /**
   * Each token's first PREFIX_KEY letters: the key prefix terms are filed under, made once for
   * every matcher (a string that was looked up once keeps its hash).
   */
  heads: readonly string[];
}

/** Prefixes are filed under their first three letters (the shortest a prefix may be). */
const PREFIX_KEY = 3;

/**
 * Every term of every rule compiled once into three tables (whole stems, exact forms, and prefixes
 * by their first three letters), so a token is looked up three times for all rules instead of once
 * per rule.
 */
export class TermMatcher<P> {
  private readonly byStem = new Map<string, Entry<P>[]>();
  private readonly byExact = new Map<string, Entry<P>[]>();
  private readonly byPrefix = new Map<string, Entry<P>[]>();

  add(source: string, payload: P): void {
    const term = parseTerm(source);
    if (typeof term === 'string') throw new OtklikError('RULES_INVALID', `term "${source}": ${term}`, { details: { term: source } });
    const first = term.words[0] as TermWord;
    const table = first.kind === 'stem' ? this.byStem : first.kind === 'exact' ? this.byExact : this.byPrefix;
    const key = first.kind === 'prefix' ? first.value.slice(0, PREFIX_KEY) : first.value;
    const entry = { payload, term };
    const list = table.get(key);
    if (list) list.push(entry);
    else table.set(key, [entry]);
  }

  /** All hits in the text, in token order (on one token: stems, exact forms, then prefixes, each in the order they were added). */
  match(text: AnalyzedTokens): TermHit<P>[] {
    const hits: TermHit<P>[] = [];
    const { tokens, stems, heads } = text;
    for (let i = 0; i < tokens.length; i++) {
      const tok = tokens[i] as string;
      const byStem = this.byStem.get(stems[i] as string);
      if (byStem) for (const e of byStem) this.tryAt(e, i, text, hits);
      const byExact = this.byExact.get(tok);
      if (byExact) for (const e of byExact) this.tryAt(e, i, text, hits);
      const byPrefix = tok.length >= PREFIX_KEY ? this.byPrefix.get(heads[i] as string) : undefined;
      if (byPrefix) for (const e of byPrefix) if (tok.startsWith((e.term.words[0] as TermWord).value)) this.tryAt(e, i, text, hits);
    }
    return hits;
  }

  private tryAt(e: Entry<P>, i: number, text: AnalyzedTokens, hits: TermHit<P>[]): void {
    const words = e.term.words;
    for (let k = 1; k < words.length; k++) {
      const w = words[k] as TermWord;
      const j = i + k;
      if (j >= text.tokens.length) return;
      if (!wordMatches(w, text.tokens[j] as string, text.stems[j] as string)) return;
    }
    hits.push({ payload: e.payload, term: e.term, start: i, end: i + words.length });
  }
}

function wordMatches(w: TermWord, token: string, stem: string): boolean {
  return w.kind === 'stem' ? stem === w.value : w.kind === 'exact' ? token === w.value : token.startsWith(w.value);
}

/** A matcher for a plain list of terms, each hit carrying its term's source. */
export function matcherOf(terms: readonly string[]): TermMatcher<string> {
  const m = new TermMatcher<string>();
  for (const t of terms) m.add(t, t);
  return m;
}

/** Tokens and stems of a folded text, for the matcher. */
export function withStems(tokens: readonly string[]): AnalyzedTokens {
  return { tokens, stems: tokens.map(stemWord), heads: tokens.map((t) => (t.length > PREFIX_KEY ? t.slice(0, PREFIX_KEY) : t)) };
}
