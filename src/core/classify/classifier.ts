import { stripLinksAndMentions, tokenizeSentences } from './text.js';
import { detectLanguage, detectLanguageOfWords, LANGUAGE_SAMPLE_CHARS, type Language } from './language.js';
import { predictLinear, type LinearModel } from './linear-model.js';
import { featureName, textFeatureWalk, topicFeatureWalk, type FeatureWalk } from './features.js';
import { ProblemDetector, problemFeatureWalk, type ProblemSignals } from './problem.js';
import { decideSentiment, lexiconEvidence, sentimentFeatures, sentimentFeatureWalk, type LexiconEvidence } from './sentiment.js';
import { withStems } from './terms.js';
import { TopicRules, type GroupScore, type Taxonomy } from './taxonomy.js';
import { CueRules, type CueHit, type Cues } from './cues.js';
import { TerritoryLocator, type Gazetteer } from './gazetteer.js';
import { AlertPolicy, type AlertPolicyRules } from './alert-policy.js';
import { fingerprint as fingerprintOf } from './near-duplicates.js';
import { houseNumbers } from './addresses.js';

/** Trained models the classifier uses beside its rules; each is optional. */
export interface ClassifierModels {
  /** Softmax regression over sentiment features (labels: negative, neutral, positive). */
  sentiment?: LinearModel;
  /** Softmax regression over topic features (labels: top-level groups and `other`). */
  topics?: LinearModel;
  /** Softmax regression over problem features (labels: no, yes). */
  problem?: LinearModel;
  /** How rules and the topic model are blended (chosen by cross-validation on real posts). */
  blend?: TopicBlend;
}

/** How much the rules count against the topic model, and how sure the model must be alone. */
export interface TopicBlend {
  /** The rules' share of the vote when both have one; the model has the rest. */
  ruleWeight: number;
  /** Without any rule matching, the model must be at least this sure to name a topic. */
  modelAloneMin: number;
}

export const DEFAULT_BLEND: TopicBlend = { ruleWeight: 0.6, modelAloneMin: 0.5 };

/** Everything in `rules/` the classifier runs on. */
export interface ClassifierRules {
  taxonomy: Taxonomy;
  cues: Cues;
  alerts: AlertPolicyRules;
  gazetteer?: Gazetteer;
}

/** What the classifier knows about a post besides its text. */
export interface PostContext {
  /** The source's configured territory: the default, which place names in the text refine. */
  territory?: string;
  /** A comment is judged with the post it answers: its own words must report a problem. */
  kind?: 'post' | 'comment';
  /** The post a comment answers: its id, and what the engine made of it when it is known. */
  parent?: { id: string } & Partial<ParentContext>;
}

/** What a comment needs to know of the post it answers. */
export interface ParentContext {
  topic: string;
  problem: boolean;
}

/**
 * A reply reports a problem of its own only when it names the thing (a topic term of its own) in at
 * least this many words; "Вчера там чуть не упал" is context for the post it answers.
 */
const REPLY_MIN_WORDS = 6;
/**
 * Replies shorter than this are compared for copies only with replies to the same post: the same
 * "Это к управляющей компании" under unrelated posts is not one problem.
 */
const SHORT_REPLY_WORDS = 12;

export type Sentiment = 'negative' | 'neutral' | 'positive';
export type MessageType = 'complaint' | 'question' | 'gratitude' | 'review' | 'other';
export type Priority = 'high' | 'normal';

/** What the engine concluded about one post, and why. */
export interface Classification {
  /** Optional only for payloads classified before language detection existed. */
  language?: Language;
  /** Top-level topics, best first; `other` alone when the post has none. */
  topics: { id: string; score: number }[];
  /** The best topic inside the first group (`snow.yards`), when the rules could tell. */
  subtopic?: string;
  sentiment: { label: Sentiment; score: number };
  type: MessageType;
  /**
   * Does the post report a problem someone must fix, or ask the authorities something? Decided
   * apart from tone: a neutral "Отсутствует освещение у дома 7" reports one. Optional only for
   * payloads classified before problem detection existed.
   */
  problem?: { reported: boolean; score: number };
  /** Praise that means the opposite ("спасибо за очередную яму"): sentiment and type follow the meaning. */
  sarcasm?: boolean;
  /** The source's territory, or the place the text names. */
  territory?: string;
  spam: boolean;
  /** Why the post counts as noise (ads, too short, link dump). */
  noise?: string[];
  alert: boolean;
  priority: Priority;
  /** MinHash signature of an alert's text and the house numbers it names, for near-duplicate detection; absent for other posts and very short texts. */
  fingerprint?: string;
  explain: string[];
}

const MAX_CHARS = 20_000;
const LINK = /\b(?:https?:\/\/|www\.)\S+/giu;
// A word in quotes is the commonest written sarcasm: «отличные» дороги, отличные «дороги». Names
// of organisations are quoted too («Водоканал»), but they are capitalised.
const QUOTED_WORD = /[«"“„]\s*(\p{Ll}[\p{L}-]*)\s*[»"”]/gu;


/**
 * The classifier: language, topics (rules + linear model), sentiment (model + lexicon with
 * negation), sarcasm, message type, territory, noise, the alert decision and a near-duplicate
 * fingerprint, each with its reason in `explain`. Pure and synchronous; never throws on a post.
 */
export class Classifier {
  private readonly topicRules: TopicRules;
  private readonly cues: CueRules;
  private readonly locator: TerritoryLocator;
  private readonly policy: AlertPolicy;
  private readonly problemDetector: ProblemDetector;
  private readonly blend: TopicBlend;

  constructor(
    readonly rules: ClassifierRules,
    readonly models: ClassifierModels = {},
  ) {
    // A model scored with other features than it learnt from would answer nonsense, quietly.
    if (models.sentiment && models.sentiment.featureSet !== 'text') throw new Error(`the sentiment model was trained on ${models.sentiment.featureSet} features, not text`);
    if (models.topics && models.topics.featureSet !== 'topic') throw new Error(`the topic model was trained on ${models.topics.featureSet} features, not topic`);
    this.problemDetector = new ProblemDetector(models.problem);
    this.blend = models.blend ?? models.topics?.blend ?? DEFAULT_BLEND;
    this.topicRules = new TopicRules(rules.taxonomy);
    this.cues = new CueRules(rules.cues);
    this.locator = new TerritoryLocator(rules.gazetteer ?? { version: 1, territories: [] });
    this.policy = new AlertPolicy(rules.alerts, (inner, outer) => this.locator.contains(outer, inner));
  }

  /** Is territory `inner` the same as or inside `outer`? The gazetteer's answer, for routing too. */
  containsTerritory(outer: string, inner: string): boolean {
    return this.locator.contains(outer, inner);
  }

  /** Every topic id a moderator may file under: groups, `group.topic`, and `other`. */
  topicIds(): string[] {
    return [...this.topicRules.allIds(), 'other'];
  }

  topicNames(): { id: string; name: string }[] {
    return [...this.topicRules.names(), { id: 'other', name: 'Прочее' }];
  }

  classify(rawText: string, context: PostContext = {}): Classification {
    return this.run(rawText, context).result;
  }

  /**
   * The problem model's features of a text as names, exactly as classify() computes them (the same
   * rules, topic model and cues): what the model is trained on and what moderators' decisions teach.
   */
  problemTrainingFeatures(rawText: string): string[] {
    const { problem } = this.run(rawText, {});
    const out: string[] = [];
    if (problem) problemFeatureWalk(problem.designed, problem.tokens, problem.stems)((kind, a, b) => out.push(featureName(kind, a, b)));
    return out;
  }

  /** The sentiment model's features of a text as names, exactly as classify() computes them. */
  sentimentTrainingFeatures(rawText: string): string[] {
    const { sentiment } = this.run(rawText, {});
    const out: string[] = [];
    sentiment?.((kind, a, b) => out.push(featureName(kind, a, b)));
    return out;
  }

  private run(rawText: string, context: PostContext): { result: Classification; problem?: { designed: string[]; tokens: readonly string[]; stems: readonly string[] }; sentiment?: FeatureWalk } {
    const text = rawText.length > MAX_CHARS ? rawText.slice(0, MAX_CHARS) : rawText;
    // Lower case without links and mentions, once: language detection reads it with ё, the rules
    // without (normalizeText's form).
    const words = stripLinksAndMentions(text.toLowerCase());
    const { tokens, sentenceStarts } = tokenizeSentences(words.replaceAll('ё', 'е'));
    const lang = text.length <= LANGUAGE_SAMPLE_CHARS ? detectLanguageOfWords(words, tokens) : detectLanguage(text);
    const explain: string[] = [lang.reason];
    const language = lang.language;
    const analyzed = withStems(tokens);
    const where = this.locator.locate(analyzed, context.territory);
    const territory = where.territory;
    if (tokens.length === 0) {
      explain.push('no words', where.explain);
      return { result: {
        language,
        topics: [{ id: 'other', score: 0 }],
        sentiment: { label: 'neutral', score: 0 },
        type: 'other',
        ...(territory === undefined ? {} : { territory }),
        spam: true,
        noise: ['no words'],
        alert: false,
        priority: 'normal',
        explain,
      } };
    }

    const ruled = this.topicRules.score(analyzed);
    const own = this.topics(ruled, this.models.topics ? topicFeatureWalk(text, tokens, analyzed.stems) : [], explain);
    const reply = context.kind === 'comment';
    const inherited = reply && own.topics[0]?.id === 'other' && context.parent?.topic !== undefined && context.parent.topic !== 'other';
    // A reply without a topic of its own is about what the post it answers is about (for search and
    // trends; it raises no alert on its own).
    const { topics, subtopic } = inherited ? { topics: [{ id: context.parent?.topic ?? 'other', score: 0.5 }], subtopic: undefined } : own;
    if (inherited) explain.push(`topic ${topics[0]?.id ?? 'other'}: the topic of the post it answers`);
    const cueHits = this.cues.match(analyzed);
    const signals = { cues: cueHits, words: tokens, emoji: this.cues.emoji(text), text };
    const lex = lexiconEvidence(signals);
    const sentimentDesigned = sentimentFeatures(signals);
    const sentimentWalk = sentimentFeatureWalk(sentimentDesigned, textFeatureWalk(text, tokens, analyzed.stems));
    const question = text.includes('?') || cueHits.some((h) => h.kind === 'question' && sentenceStarts.has(h.start));
    const sentiment = decideSentiment(this.models.sentiment, sentimentWalk, lex, question);
    explain.push(sentiment.explain);
    let label: Sentiment = sentiment.label;
    let score = sentiment.score;

    const has = (kind: CueHit['kind']) => cueHits.some((h) => h.kind === kind);
    const topic = topics[0]?.id ?? 'other';
    const topical = topic !== 'other';
    const sarcasm = this.sarcasm(text, cueHits, lex, topical, label);
    if (sarcasm) {
      explain.push(`sarcasm: ${sarcasm}`);
      label = 'negative';
      score = Math.min(score, -0.3);
    }
    const houses = houseNumbers(tokens, where.streetEnds);
    const ads = this.policy.adCues(analyzed);
    const detected = this.problemDetector.detect(
      // Ironic thanks are no thanks: "спасибо за очередную яму" reports the pothole.
      problemSignals(text, sarcasm ? cueHits.filter((h) => h.kind !== 'gratitude') : cueHits, sentenceStarts, ruled.find((g) => g.group === topic) ?? ruled[0], houses.length, ads.length, tokens, signals.emoji.any),
      tokens,
      analyzed.stems,
      this.policy.problemThreshold,
      sarcasm !== undefined,
    );
    const ownGroup = ruled.find((g) => g.group === topic);
    const replyWithoutOwn = reply && (inherited || (ownGroup?.termScore ?? 0) === 0 || tokens.length < REPLY_MIN_WORDS);
    const verdict = replyWithoutOwn && detected.problem ? { ...detected, problem: false, cues: [...detected.cues, 'reply'] } : detected;
    if (replyWithoutOwn) explain.push(`a reply with no problem of its own: context for the post it answers${context.parent?.topic ? ` (${context.parent.topic})` : ''}`);
    explain.push(`problem ${verdict.problem ? 'reported' : 'not reported'} (${this.problemDetector.hasModel ? `model ${verdict.score.toFixed(2)} vs ${this.policy.problemThreshold}` : 'rule'}${verdict.cues.length > 0 ? `; ${verdict.cues.join(', ')}` : ''})`);
    const type = messageType({ gratitude: has('gratitude') && !sarcasm, review: has('review'), question, urgent: has('urgent'), topical, label, negativeCues: lex.negative, problem: verdict.problem });
    explain.push(`type ${type}`);
    explain.push(where.explain);

    const decision = this.policy.decide({
      text: analyzed,
      links: text.includes('http') || text.includes('www.') ? (text.match(LINK)?.length ?? 0) : 0,
      language,
      topic,
      ...(subtopic === undefined ? {} : { subtopic }),
      ...(territory === undefined ? {} : { territory }),
      type,
      sentiment: { label, score },
      urgent: has('urgent'),
      problem: verdict.problem,
      adTerms: ads,
    });
    explain.push(...decision.explain);
    // Only alerts are compared for copies, so only they pay for a fingerprint.
    const shortReply = reply && context.parent && tokens.length < SHORT_REPLY_WORDS;
    const fingerprint = decision.alert ? fingerprintOf(analyzed.stems, shortReply ? [...houses, `re:${context.parent?.id ?? ''}`] : houses) : undefined;
    const result: Classification = {
      language,
      topics,
      ...(subtopic === undefined ? {} : { subtopic }),
      sentiment: { label, score: round(score) },
      type,
      problem: { reported: verdict.problem, score: round(verdict.score) },
      ...(sarcasm ? { sarcasm: true } : {}),
      ...(territory === undefined ? {} : { territory }),
      spam: decision.spam,
      ...(decision.noise.length > 0 ? { noise: decision.noise } : {}),
      alert: decision.alert,
      priority: decision.priority,
      ...(fingerprint === undefined ? {} : { fingerprint }),
      explain,
    };
    return { result, problem: { designed: verdict.cues, tokens, stems: analyzed.stems }, sentiment: sentimentWalk };
  }

  /** Rules and model vote together; the topic inside the winning group comes from the rules. */
  private topics(ruled: readonly GroupScore[], features: readonly string[] | FeatureWalk, explain: string[]): { topics: { id: string; score: number }[]; subtopic?: string } {
    const total = ruled.reduce((s, g) => s + g.score, 0);
    const combined = new Map<string, number>();
    const { ruleWeight: blendWeight, modelAloneMin } = this.blend;
    for (const g of ruled.slice(0, 3)) explain.push(`topic ${g.subtopic ?? g.group} by rules ${g.score}: ${g.evidence.join('; ')}`);
    const pred = this.models.topics ? predictLinear(this.models.topics, features) : undefined;
    if (pred) {
      const top = [...pred.probabilities].sort((a, b) => b.p - a.p).slice(0, 2);
      explain.push(`topic model: ${top.map((p) => `${p.label} ${p.p.toFixed(2)}`).join(', ')}${pred.evidence.length > 0 ? ` (${pred.evidence.join(', ')})` : ''}`);
    }
    if (total === 0) {
      // Silent rules are no vote: the model alone decides, when it is sure enough.
      const best = pred?.probabilities.reduce((a, b) => (b.p > a.p ? b : a));
      if (best && best.label !== 'other' && best.p >= modelAloneMin) {
        explain.push(`topic ${best.label} by the model alone (${best.p.toFixed(2)} ≥ ${modelAloneMin})`);
        return { topics: [{ id: best.label, score: round(best.p) }] };
      }
      explain.push('topic other: no rule matched' + (pred ? ' and the model is not sure' : ''));
      return { topics: [{ id: 'other', score: round(best?.label === 'other' ? best.p : 1) }] };
    }
    // The rules' weights become a share against one unit of "nothing here", so one weak word is a
    // coin toss and three strong ones are near certain; the model's probabilities are blended in.
    const ruleWeight = pred ? blendWeight : 1;
    for (const g of ruled) combined.set(g.group, (ruleWeight * g.score) / (total + 1));
    combined.set('other', ruleWeight / (total + 1));
    // Once the rules see a topic, whether the post has one is theirs to say (and the problem
    // detector's to judge); the model only says which: its "other" is left out and the rest
    // rescaled, so a short report the model has no words for keeps the topic its rules found.
    const named = (pred?.probabilities ?? []).filter((p) => p.label !== 'other');
    const mass = named.reduce((sum, p) => sum + p.p, 0);
    if (mass > 0) for (const p of named) combined.set(p.label, (combined.get(p.label) ?? 0) + ((1 - ruleWeight) * p.p) / mass);
    // On a tie a named topic beats `other`: a moderator can reject an alert, but never sees a miss.
    const ranked = [...combined.entries()].sort((a, b) => b[1] - a[1] || Number(a[0] === 'other') - Number(b[0] === 'other') || a[0].localeCompare(b[0]));
    const [bestId, bestScore] = ranked[0] as [string, number];
    if (bestId === 'other') {
      explain.push(`topic other (${bestScore.toFixed(2)})`);
      return { topics: [{ id: 'other', score: round(bestScore) }] };
    }
    const topics = ranked.filter(([id, s]) => id !== 'other' && s >= 0.1).slice(0, 3).map(([id, s]) => ({ id, score: round(s) }));
    const best: GroupScore | undefined = ruled.find((g) => g.group === bestId);
    return { topics, ...(best?.subtopic ? { subtopic: best.subtopic } : {}) };
  }

  /** Praise that cannot be meant: an ironic turn, or a praise word in quotes, in a post that complains. */
  private sarcasm(text: string, hits: readonly CueHit[], lex: LexiconEvidence, topical: boolean, label: Sentiment): string | undefined {
    const ironic = hits.find((h) => h.kind === 'sarcasm');
    const complains = lex.negative > 0 || label === 'negative';
    if (ironic && (complains || topical) && (lex.positive > 0 || ironic.term.includes(' ') || complains)) return `"${ironic.term}" in a post that ${complains ? 'complains' : 'names a problem'}`;
    if (!complains && !topical) return undefined;
    for (const m of text.matchAll(QUOTED_WORD)) {
      const word = (m[1] ?? '').replaceAll('ё', 'е');
      const quoted = withStems([word]);
      if (this.cues.match(quoted).some((h) => h.kind === 'positive')) return `praise in quotes «${word}»`;
      if (lex.positive > 0 && this.topicRules.score(quoted).length > 0) return `praise of a «${word}» in quotes`;
    }
    return undefined;
  }
}

function messageType(p: { gratitude: boolean; review: boolean; question: boolean; urgent: boolean; topical: boolean; label: Sentiment; negativeCues: number; problem: boolean }): MessageType {
  if (p.gratitude && p.label !== 'negative' && !p.problem) return 'gratitude';
  // "Когда уберут снег?" asks; "Сколько можно терпеть этот бардак?" complains: the words decide.
  if (p.question && p.negativeCues < 1) return 'question';
  // Reporting a problem is complaining, however calm the words: "Отсутствует освещение у дома 7".
  if (p.problem) return 'complaint';
  if (p.topical && (p.label === 'negative' || (p.urgent && !p.question))) return 'complaint';
  if (p.question) return 'question';
  if (p.gratitude) return 'gratitude';
  if (p.review || (p.topical && p.label === 'positive')) return 'review';
  if (p.topical && p.negativeCues > 0) return 'complaint';
  return 'other';
}

// Conversation rather than report: smileys and bracket runs, face emoji, and talking to "ты".
const SMILEY = /(?:^|\s)[:;]-?[()D*](?!\p{L})/u;
const CHAT_WORDS = new Set(['ты', 'тебя', 'тебе', 'тобой', 'твой', 'твоя', 'твои', 'твоего', 'твоей', 'лол']);

function isChat(text: string, words: readonly string[], faces: boolean): boolean {
  if (faces || text.includes('))') || text.includes('((')) return true;
  if ((text.includes(':') || text.includes(';')) && SMILEY.test(text)) return true;
  return words.some((w) => CHAT_WORDS.has(w) || w.startsWith('хаха'));
}

function problemSignals(text: string, cues: readonly CueHit[], sentenceStarts: ReadonlySet<number>, group: GroupScore | undefined, houses: number, ads: number, words: readonly string[], faces: boolean): ProblemSignals {
  return {
    words,
    cues,
    sentenceStarts,
    questionMark: text.includes('?'),
    ...(group ? { topic: { group: group.group, score: group.score, termScore: group.termScore, positions: group.positions } } : {}),
    houses,
    ads,
    tokens: words.length,
    chat: isChat(text, words, faces),
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
