/** What a matched stem means. */
export type Cue = 'topic' | 'weak' | 'exclude' | 'negative' | 'positive' | 'gratitude' | 'question' | 'spam' | 'urgent';

export interface LexiconEntry {
  stem: string;
  cue: Cue;
  /** Index of the topic for topic, weak and exclude cues. */
  topic: number;
}

/**
 * Every stem of every rule compiled into one table keyed by the first two letters, so a token is
 * looked up once for all topics and cues instead of once per rule list.
 */
export class Lexicon {
  private readonly byPrefix = new Map<string, LexiconEntry[]>();

  add(stems: readonly string[], cue: Cue, topic = -1): void {
    for (const stem of stems) {
      const key = stem.slice(0, 2);
      const list = this.byPrefix.get(key);
      const entry = { stem, cue, topic };
      if (list) list.push(entry);
      else this.byPrefix.set(key, [entry]);
    }
  }

  /** Calls `hit` for every entry whose stem starts the token. */
  match(token: string, hit: (e: LexiconEntry) => void): void {
    const list = this.byPrefix.get(token.slice(0, 2));
    if (!list) return;
    for (const e of list) if (token.startsWith(e.stem)) hit(e);
  }
}
