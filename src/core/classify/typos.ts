/**
 * One slip of the finger in the word that names the thing ("сфетофора", "тратуара") leaves a real
 * report with no topic at all: the rules compare stems and prefixes exactly, and the topic model's
 * five-letter prefixes break on a slip in the first letters. This mends such a word toward a rule's
 * own word: one substitution, swap of neighbours, extra or missing letter, never in the first
 * letter, only in words of at least MIN_TOKEN letters and only toward rule words of at least
 * MIN_TERM letters (short words have too many honest neighbours: "шкала" is no misspelt "школа").
 *
 * The classifier asks only when the rules found no topic in a post that names a fault, so the
 * stream's ordinary posts, which name none, never pay for it and never get a topic from it.
 *
 * A correctly spelt word is never mended: most words one slip from a rule word are other words
 * ("провели" / "просели", "поселки" / "проселки", "кошмар" / "комар", "склонен" / "салон"), and
 * mending them gave ordinary sentences a topic and an alert. The known words come as stems
 * (rules/lexicon, from a spelling dictionary), compared with the token's stem.
 */
export const MIN_TOKEN = 6;
const MIN_TERM = 5;

export interface Mended {
  tokens: string[];
  /** "сфетофора → светофора", for the explanation. */
  changes: string[];
}

export class TypoMender {
  /** Rule words by their first letter: `value` is a prefix (or stem) unless `whole`. */
  private readonly byFirst = new Map<string, { value: string; whole: boolean }[]>();

  constructor(
    words: Iterable<{ value: string; whole: boolean }>,
    /** Stems of correctly spelt words (none: any word one slip from a rule word is mended). */
    private readonly known: ReadonlySet<string> = new Set(),
  ) {
    const seen = new Set<string>();
    for (const w of words) {
      if (w.value.length < MIN_TERM || seen.has(`${w.whole}:${w.value}`)) continue;
      seen.add(`${w.whole}:${w.value}`);
      const first = w.value[0] as string;
      const list = this.byFirst.get(first);
      if (list) list.push(w);
      else this.byFirst.set(first, [w]);
    }
  }

  /** The tokens with each mendable word replaced by the rule word it misspells; undefined when none is. */
  mend(tokens: readonly string[], stems: readonly string[]): Mended | undefined {
    let out: string[] | undefined;
    const changes: string[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const tok = tokens[i] as string;
      if (tok.length < MIN_TOKEN || this.known.has(stems[i] as string)) continue;
      const candidates = this.byFirst.get(tok[0] as string);
      if (!candidates) continue;
      let fixed: string | undefined;
      for (const c of candidates) {
        // Already the rule's word (or a word it covers): nothing to mend here.
        if (c.whole ? tok === c.value : tok.startsWith(c.value)) {
          fixed = undefined;
          break;
        }
        fixed ??= c.whole ? (oneEditApart(tok, c.value) ? c.value : undefined) : mendPrefix(tok, c.value);
      }
      if (fixed === undefined) continue;
      out ??= [...tokens];
      out[i] = fixed;
      changes.push(`${tok} → ${fixed}`);
    }
    return out ? { tokens: out, changes } : undefined;
  }
}

/**
 * The token with its beginning mended to `prefix` when the two are one edit apart there (after the
 * first letter), keeping the ending: "сфетофора" with "светофор" gives "светофора".
 */
function mendPrefix(tok: string, prefix: string): string | undefined {
  let i = 1;
  while (i < prefix.length && i < tok.length && tok[i] === prefix[i]) i++;
  // A difference in the prefix's last letter is more often another word of the family than a slip
  // ("дорожный" is not a misspelt "дорог…"): the slip must have a rule letter after it.
  if (i >= prefix.length - 1) return undefined;
  // Substitution: one letter differs, the rest of the prefix follows.
  if (startsWithAt(tok, i + 1, prefix, i + 1)) return prefix + tok.slice(prefix.length);
  // Neighbours swapped.
  if (tok[i] === prefix[i + 1] && tok[i + 1] === prefix[i] && startsWithAt(tok, i + 2, prefix, i + 2)) return prefix + tok.slice(prefix.length);
  // An extra letter in the token.
  if (startsWithAt(tok, i + 1, prefix, i)) return prefix + tok.slice(prefix.length + 1);
  // A letter missing from the token.
  if (startsWithAt(tok, i, prefix, i + 1)) return prefix + tok.slice(prefix.length - 1);
  return undefined;
}

/** Does `tok` from `at` begin with `prefix` from `from`? */
function startsWithAt(tok: string, at: number, prefix: string, from: number): boolean {
  if (tok.length - at < prefix.length - from) return false;
  for (let k = from; k < prefix.length; k++) if (tok[at + k - from] !== prefix[k]) return false;
  return true;
}

/** Whole words one edit apart (substitution, swap, one letter more or less), the first letter kept. */
function oneEditApart(a: string, b: string): boolean {
  if (a === b || a[0] !== b[0] || Math.abs(a.length - b.length) > 1) return false;
  let i = 1;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  // Endings differ between forms of one word ("мусоре", "мусора"): the slip is inside the word.
  if (i >= Math.min(a.length, b.length) - 1) return false;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
