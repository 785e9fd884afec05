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

export function tokenize(normalized: string): string[] {
  return normalized.match(WORD_RE) ?? [];
}
