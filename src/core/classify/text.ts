const URL_RE = /\b(?:https?:\/\/|www\.)\S+/giu;
const MENTION_RE = /(?:^|\s)[@#][\p{L}\p{N}_]+/gu;
const WORD_RE = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu;

/** Links, @mentions and #hashtags out: they carry no words of the text's language or topic. */
export function stripLinksAndMentions(text: string): string {
  return text.replace(URL_RE, ' ').replace(MENTION_RE, ' ');
}

/** Lower case, ё→е, links and mentions removed: the form every rule matches against. */
export function normalizeText(text: string): string {
  return stripLinksAndMentions(text.toLowerCase().replaceAll('ё', 'е'));
}

// Letters glued to digits by a missed space ("люк7", "6апротив") are two words; house numbers
// ("12а", "7к2") and plates ("м212хт") keep together: at least three letters on the glued side.
const GLUED = /\p{L}{3}\p{N}|\p{N}\p{L}{3}/u;
const GLUE_POINT = /(?<=\p{L}{3})(?=\p{N})|(?<=\p{N})(?=\p{L}{3})/u;

function hasDigit(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

function pushWord(out: string[], word: string): void {
  // Most words hold no digit: a char scan decides that faster than the Unicode regex.
  if (!hasDigit(word) || !GLUED.test(word)) {
    out.push(word);
    return;
  }
  for (const part of word.split(GLUE_POINT)) if (part !== '') out.push(part);
}

export function tokenize(normalized: string): string[] {
  const out: string[] = [];
  for (const m of normalized.matchAll(WORD_RE)) pushWord(out, m[0]);
  return out;
}

/** Does a sentence end between `from` and `to` (. ! ? … or a new line)? A char scan: no slice, no regex per word. */
function sentenceEndsBetween(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 || c === 33 || c === 63 || c === 0x2026 || c === 10) return true;
  }
  return false;
}

/** Tokens, and which of them open a sentence (question words count there). */
export function tokenizeSentences(normalized: string): { tokens: string[]; sentenceStarts: Set<number> } {
  const tokens: string[] = [];
  const sentenceStarts = new Set<number>();
  let last = 0;
  for (const m of normalized.matchAll(WORD_RE)) {
    const at = m.index;
    if (tokens.length === 0 || sentenceEndsBetween(normalized, last, at)) sentenceStarts.add(tokens.length);
    pushWord(tokens, m[0]);
    last = at + m[0].length;
  }
  return { tokens, sentenceStarts };
}
