import { normalizeText, tokenize } from './text.js';
import type { TopicRules } from './rules.js';

export type Sentiment = 'negative' | 'neutral' | 'positive';
export type MessageType = 'complaint' | 'question' | 'gratitude' | 'review' | 'other';
export type Priority = 'high' | 'normal';

/** What the engine concluded about one post, and why. */
export interface Classification {
  topics: { id: string; score: number }[];
  sentiment: { label: Sentiment; score: number };
  type: MessageType;
  spam: boolean;
  alert: boolean;
  priority: Priority;
  explain: string[];
}

/** A stem list compiled into one prefix test per token. */
class StemSet {
  private readonly byFirstTwo = new Map<string, string[]>();
  constructor(stems: readonly string[]) {
    for (const s of stems) {
      const key = s.slice(0, 2);
      const list = this.byFirstTwo.get(key) ?? [];
      list.push(s);
      this.byFirstTwo.set(key, list);
    }
  }
  match(token: string): string | undefined {
    const list = this.byFirstTwo.get(token.slice(0, 2));
    if (!list) return undefined;
    for (const s of list) if (token.startsWith(s)) return s;
    return undefined;
  }
}

/**
 * A first, explainable keyword classifier: topics by stems, sentiment by a small lexicon with
 * negation, message type by cues. Pure and synchronous; never throws on a post.
 */
export class KeywordClassifier {
  private readonly topics: { id: string; stems: StemSet; weak: StemSet; exclude: StemSet }[];
  private readonly negative: StemSet;
  private readonly positive: StemSet;
  private readonly gratitude: StemSet;
  private readonly questionStarts: StemSet;
  private readonly spam: StemSet;
  private readonly urgent: StemSet;

  constructor(rules: TopicRules) {
    this.topics = rules.topics.map((t) => ({
      id: t.id,
      stems: new StemSet(t.stems),
      weak: new StemSet(t.weak),
      exclude: new StemSet(t.exclude),
    }));
    this.negative = new StemSet(rules.sentiment.negative);
    this.positive = new StemSet(rules.sentiment.positive);
    this.gratitude = new StemSet(rules.gratitude);
    this.questionStarts = new StemSet(rules.questionStarts);
    this.spam = new StemSet(rules.spam);
    this.urgent = new StemSet(rules.urgent);
  }

  classify(text: string): Classification {
    const explain: string[] = [];
    const tokens = tokenize(normalizeText(text.length > 20_000 ? text.slice(0, 20_000) : text));
    if (tokens.length === 0) {
      explain.push('no words');
      return {
        topics: [{ id: 'other', score: 0 }],
        sentiment: { label: 'neutral', score: 0 },
        type: 'other',
        spam: false,
        alert: false,
        priority: 'normal',
        explain,
      };
    }

    const scores: { id: string; score: number }[] = [];
    for (const t of this.topics) {
      let hits = 0;
      let context = 0;
      let vetoed = false;
      for (const tok of tokens) {
        if (t.exclude.match(tok)) vetoed = true;
        const s = t.stems.match(tok);
        if (s) {
          hits++;
          if (hits <= 3) explain.push(`topic ${t.id}: "${tok}" ~ ${s}`);
        } else if (t.weak.match(tok)) context += 0.5;
      }
      if (hits > 0 && !vetoed) scores.push({ id: t.id, score: hits + context });
    }
    scores.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    const total = scores.reduce((n, s) => n + s.score, 0);
    const topics = scores.length > 0 ? scores.map((s) => ({ id: s.id, score: round(s.score / total) })) : [{ id: 'other', score: 0 }];

    let neg = 0;
    let pos = 0;
    let spamHits = 0;
    let gratitude = false;
    let urgent = false;
    tokens.forEach((tok, i) => {
      const negated = i > 0 && (tokens[i - 1] === 'не' || tokens[i - 1] === 'нет');
      // "нет воды", "нет света": absence of something is how most complaints start.
      if (tok === 'нет' && i + 1 < tokens.length) neg += 0.5;
      if (this.negative.match(tok)) {
        if (negated) pos += 0.5;
        else neg++;
      }
      if (this.positive.match(tok)) {
        if (negated) {
          neg++;
          explain.push(`negated "не ${tok}"`);
        } else pos++;
      }
      if (this.spam.match(tok)) spamHits++;
      if (this.gratitude.match(tok)) gratitude = true;
      if (this.urgent.match(tok)) urgent = true;
    });
    // "не работает", "не убирают": a negated verb in a complaint reads as negative.
    if (tokens.some((t, i) => t === 'не' && i + 1 < tokens.length)) neg += 0.5;

    const polarity = (pos - neg) / Math.max(1, pos + neg);
    const label: 'negative' | 'neutral' | 'positive' = polarity <= -0.2 ? 'negative' : polarity >= 0.34 ? 'positive' : 'neutral';
    const question = text.includes('?') || (tokens[0] !== undefined && this.questionStarts.match(tokens[0]) !== undefined);
    const topical = scores.length > 0;
    const spam = spamHits >= 2 || (spamHits === 1 && !topical);
    if (spam) explain.push(`spam cues: ${spamHits}`);

    const type: MessageType = gratitude
      ? 'gratitude'
      : topical && label === 'negative'
        ? 'complaint'
        : question
          ? 'question'
          : topical && label === 'positive'
            ? 'review'
            : topical && neg > 0
              ? 'complaint'
              : 'other';
    explain.push(`sentiment ${label} (neg ${neg}, pos ${pos})`, `type ${type}`);

    const alert = topical && !spam && (type === 'complaint' || type === 'question' || label === 'negative');
    if (alert) explain.push('alert: actionable message in a monitored topic');
    return {
      topics,
      sentiment: { label, score: round(polarity) },
      type,
      spam,
      alert,
      priority: alert && urgent ? 'high' : 'normal',
      explain,
    };
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
