import { normalizeText, tokenize } from './text.js';
import type { TopicRules } from './rules.js';
import { Lexicon } from './lexicon.js';
import { detectLanguage, type Language } from './language.js';
import type { NaiveBayesModel } from './naive-bayes.js';
import { textFeatures } from './features.js';
import { combineSentiment } from './sentiment.js';

/** Trained models the classifier uses beside its rules; each is optional. */
export interface ClassifierModels {
  sentiment?: NaiveBayesModel;
}

export type Sentiment = 'negative' | 'neutral' | 'positive';
export type MessageType = 'complaint' | 'question' | 'gratitude' | 'review' | 'other';
export type Priority = 'high' | 'normal';

/** What the engine concluded about one post, and why. */
export interface Classification {
  /** Optional only for payloads classified before language detection existed. */
  language?: Language;
  topics: { id: string; score: number }[];
  sentiment: { label: Sentiment; score: number };
  type: MessageType;
  spam: boolean;
  alert: boolean;
  priority: Priority;
  explain: string[];
}

/**
 * A first, explainable keyword classifier: topics by stems, sentiment by a small lexicon with
 * negation, message type by cues. Pure and synchronous; never throws on a post.
 */
export class KeywordClassifier {
  private readonly topicIds: string[];
  private readonly lexicon = new Lexicon();

  constructor(
    rules: TopicRules,
    private readonly models: ClassifierModels = {},
  ) {
    this.topicIds = rules.topics.map((t) => t.id);
    rules.topics.forEach((t, i) => {
      this.lexicon.add(t.stems, 'topic', i);
      this.lexicon.add(t.weak, 'weak', i);
      this.lexicon.add(t.exclude, 'exclude', i);
    });
    this.lexicon.add(rules.sentiment.negative, 'negative');
    this.lexicon.add(rules.sentiment.positive, 'positive');
    this.lexicon.add(rules.gratitude, 'gratitude');
    this.lexicon.add(rules.questionStarts, 'question');
    this.lexicon.add(rules.spam, 'spam');
    this.lexicon.add(rules.urgent, 'urgent');
  }

  classify(text: string): Classification {
    const lang = detectLanguage(text);
    const explain: string[] = [lang.reason];
    const language = lang.language;
    const tokens = tokenize(normalizeText(text.length > 20_000 ? text.slice(0, 20_000) : text));
    if (tokens.length === 0) {
      explain.push('no words');
      return {
        language,
        topics: [{ id: 'other', score: 0 }],
        sentiment: { label: 'neutral', score: 0 },
        type: 'other',
        spam: false,
        alert: false,
        priority: 'normal',
        explain,
      };
    }

    const n = this.topicIds.length;
    const hits = new Array<number>(n).fill(0);
    const context = new Array<number>(n).fill(0);
    const vetoed = new Array<boolean>(n).fill(false);
    let neg = 0;
    let pos = 0;
    let spamHits = 0;
    let gratitude = false;
    let urgent = false;
    let question = false;
    let negParticle = false;
    for (let i = 0; i < tokens.length; i++) {
      const tok = tokens[i] as string;
      const prev = i > 0 ? tokens[i - 1] : undefined;
      const negated = prev === 'не' || prev === 'нет';
      // "нет воды", "нет света": absence of something is how most complaints start.
      if (tok === 'нет' && i + 1 < tokens.length) neg += 0.5;
      let topicHit = -1;
      let weakHit = -1;
      // A token counts once per cue, however many of its stems match ("кошмар", "кошмарн").
      let negHit = false;
      let posHit = false;
      let spamHit = false;
      this.lexicon.match(tok, (e) => {
        switch (e.cue) {
          case 'topic':
            if (topicHit !== e.topic) {
              topicHit = e.topic;
              hits[e.topic] = (hits[e.topic] ?? 0) + 1;
              if ((hits[e.topic] ?? 0) <= 3) explain.push(`topic ${this.topicIds[e.topic] ?? ''}: "${tok}" ~ ${e.stem}`);
            }
            break;
          case 'weak':
            weakHit = e.topic;
            break;
          case 'exclude':
            vetoed[e.topic] = true;
            break;
          case 'negative':
            if (negHit) break;
            negHit = true;
            if (negated) pos += 0.5;
            else neg++;
            break;
          case 'positive':
            if (posHit) break;
            posHit = true;
            if (negated) {
              neg++;
              explain.push(`negated "не ${tok}"`);
            } else pos++;
            break;
          case 'gratitude':
            gratitude = true;
            break;
          case 'question':
            if (i === 0) question = true;
            break;
          case 'spam':
            if (!spamHit) spamHits++;
            spamHit = true;
            break;
          case 'urgent':
            urgent = true;
            break;
        }
      });
      // A context word counts only where the token is not a full topic stem of that topic.
      if (weakHit >= 0 && weakHit !== topicHit) context[weakHit] = (context[weakHit] ?? 0) + 0.5;
      if (tok === 'не' && i + 1 < tokens.length) negParticle = true;
    }
    // "не работает", "не убирают": a negated verb in a complaint reads as negative.
    if (negParticle) neg += 0.5;

    const scores: { id: string; score: number }[] = [];
    for (let t = 0; t < n; t++) {
      const h = hits[t] ?? 0;
      if (h > 0 && !vetoed[t]) scores.push({ id: this.topicIds[t] ?? '', score: h + (context[t] ?? 0) });
    }
    scores.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    const total = scores.reduce((sum, x) => sum + x.score, 0);
    const topics = scores.length > 0 ? scores.map((x) => ({ id: x.id, score: round(x.score / total) })) : [{ id: 'other', score: 0 }];

    const sentiment = combineSentiment(this.models.sentiment, this.models.sentiment ? textFeatures(text, tokens) : [], { negative: neg, positive: pos }, tokens.length);
    const label: Sentiment = sentiment.label;
    question ||= text.includes('?');
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
    explain.push(sentiment.explain, `type ${type}`);

    const alert = topical && !spam && (type === 'complaint' || type === 'question' || label === 'negative');
    if (alert) explain.push('alert: actionable message in a monitored topic');
    return {
      language,
      topics,
      sentiment: { label, score: sentiment.score },
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
