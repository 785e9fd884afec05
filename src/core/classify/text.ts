const URL_RE = /\b(?:https?:\/\/|www\.)\S+/giu;
const MENTION_RE = /(?:^|\s)[@#][\p{L}\p{N}_]+/gu;
const WORD_RE = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu;

/** Lower case, ё→е, links and mentions removed: the form every rule matches against. */
export function normalizeText(text: string): string {
  return text.toLowerCase().replaceAll('ё', 'е').replace(URL_RE, ' ').replace(MENTION_RE, ' ');
}

export function tokenize(normalized: string): string[] {
  return normalized.match(WORD_RE) ?? [];
}
