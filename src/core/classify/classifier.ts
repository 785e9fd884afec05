import { stripLinksAndMentions, tokenizeSentences } from './text.js';
import { detectLanguage, detectLanguageOfWords, LANGUAGE_SAMPLE_CHARS, type Language } from './language.js';
import { predictNaiveBayes, type NaiveBayesModel } from './naive-bayes.js';
import { textFeatureWalk, topicFeatureWalk, type FeatureWalk } from './features.js';
import { combineSentiment } from './sentiment.js';
import { withStems, type AnalyzedTokens } from './terms.js';
import { TopicRules, type GroupScore, type Taxonomy } from './taxonomy.js';
import { CueRules, type CueHit, type Cues } from './cues.js';
import { TerritoryLocator, type Gazetteer } from './gazetteer.js';
import { AlertPolicy, type AlertPolicyRules } from './alert-policy.js';
import { fingerprint as fingerprintOf } from './near-duplicates.js';
import { houseNumbers } from './addresses.js';

/** Trained models the classifier uses beside its rules; each is optional. */
export interface ClassifierModels {
  sentiment?: NaiveBayesModel;
  topics?: NaiveBayesModel;
}

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
}

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
const NEGATORS = new Set(['не', 'нет', 'ни']);
const LINK = /\b(?:https?:\/\/|www\.)\S+/giu;
// A word in quotes is the commonest written sarcasm: «отличные» дороги, отличные «дороги». Names
// of organisations are quoted too («Водоканал»), but they are capitalised.
const QUOTED_WORD = /[«"“„]\s*(\p{Ll}[\p{L}-]*)\s*[»"”]/gu;

/** How much the rules and the topic model each count when both have a say. */
const RULE_WEIGHT = 0.6;
/** Softens the topic model's probabilities (see predictNaiveBayes). */
const TOPIC_TEMPERATURE = 2;
/** Without any rule matching, the model must be at least this sure to name a topic. */
const MODEL_ALONE_MIN = 0.5;

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

  constructor(
    rules: ClassifierRules,
    private readonly models: ClassifierModels = {},
  ) {
    // A model scored with other features than it learnt from would answer nonsense, quietly.
    if (models.sentiment && models.sentiment.featureSet !== 'text') throw new Error(`the sentiment model was trained on ${models.sentiment.featureSet} features, not text`);
    if (models.topics && models.topics.featureSet !== 'topic') throw new Error(`the topic model was trained on ${models.topics.featureSet} features, not topic`);
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
      return {
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
      };
    }

    const features = this.models.sentiment ? textFeatureWalk(text, tokens, analyzed.stems) : [];
    const { topics, subtopic } = this.topics(analyzed, this.models.topics ? topicFeatureWalk(text, tokens, analyzed.stems) : [], explain);
    const cueHits = this.cues.match(analyzed);
    const lex = lexiconEvidence(analyzed, cueHits, explain);
    const question = text.includes('?') || cueHits.some((h) => h.kind === 'question' && sentenceStarts.has(h.start));
    const sentiment = combineSentiment(this.models.sentiment, features, lex, tokens.length, question);
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
    const type = messageType({ gratitude: has('gratitude') && !sarcasm, review: has('review'), question, urgent: has('urgent'), topical, label, negativeCues: lex.negative });
    explain.push(`type ${type}`);
    explain.push(where.explain);

    const decision = this.policy.decide({
      text: analyzed,
      links: text.match(LINK)?.length ?? 0,
      language,
      topic,
      ...(subtopic === undefined ? {} : { subtopic }),
      ...(territory === undefined ? {} : { territory }),
      type,
      sentiment: { label, score },
      urgent: has('urgent'),
    });
    explain.push(...decision.explain);
    // Only alerts are compared for copies, so only they pay for a fingerprint.
    const fingerprint = decision.alert ? fingerprintOf(analyzed.stems, houseNumbers(tokens, where.streetEnds)) : undefined;
    return {
      language,
      topics,
      ...(subtopic === undefined ? {} : { subtopic }),
      sentiment: { label, score: round(score) },
      type,
      ...(sarcasm ? { sarcasm: true } : {}),
      ...(territory === undefined ? {} : { territory }),
      spam: decision.spam,
      ...(decision.noise.length > 0 ? { noise: decision.noise } : {}),
      alert: decision.alert,
      priority: decision.priority,
      ...(fingerprint === undefined ? {} : { fingerprint }),
      explain,
    };
  }

  /** Rules and model vote together; the topic inside the winning group comes from the rules. */
  private topics(text: AnalyzedTokens, features: readonly string[] | FeatureWalk, explain: string[]): { topics: { id: string; score: number }[]; subtopic?: string } {
    const ruled = this.topicRules.score(text);
    const total = ruled.reduce((s, g) => s + g.score, 0);
    const combined = new Map<string, number>();
    for (const g of ruled.slice(0, 3)) explain.push(`topic ${g.subtopic ?? g.group} by rules ${g.score}: ${g.evidence.join('; ')}`);
    const pred = this.models.topics ? predictNaiveBayes(this.models.topics, features, TOPIC_TEMPERATURE) : undefined;
    if (pred) {
      const top = [...pred.probabilities].sort((a, b) => b.p - a.p).slice(0, 2);
      explain.push(`topic model: ${top.map((p) => `${p.label} ${p.p.toFixed(2)}`).join(', ')}${pred.evidence.length > 0 ? ` (${pred.evidence.join(', ')})` : ''}`);
    }
    if (total === 0) {
      // Silent rules are no vote: the model alone decides, when it is sure enough.
      const best = pred?.probabilities.reduce((a, b) => (b.p > a.p ? b : a));
      if (best && best.label !== 'other' && best.p >= MODEL_ALONE_MIN) {
        explain.push(`topic ${best.label} by the model alone (${best.p.toFixed(2)} ≥ ${MODEL_ALONE_MIN})`);
        return { topics: [{ id: best.label, score: round(best.p) }] };
      }
      explain.push('topic other: no rule matched' + (pred ? ' and the model is not sure' : ''));
      return { topics: [{ id: 'other', score: round(best?.label === 'other' ? best.p : 1) }] };
    }
    // The rules' weights become a share against one unit of "nothing here", so one weak word is a
    // coin toss and three strong ones are near certain; the model's probabilities are blended in.
    const ruleWeight = pred ? RULE_WEIGHT : 1;
    for (const g of ruled) combined.set(g.group, (ruleWeight * g.score) / (total + 1));
    combined.set('other', ruleWeight / (total + 1));
    for (const p of pred?.probabilities ?? []) combined.set(p.label, (combined.get(p.label) ?? 0) + (1 - ruleWeight) * p.p);
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

interface LexiconEvidence {
  negative: number;
  positive: number;
}

/**
 * The lexicon's count of negative and positive words, negation-aware: "не работает", "нет воды"
 * and "не хорошо" count as negative, "не плохо" as mildly positive.
 */
function lexiconEvidence(text: AnalyzedTokens, hits: readonly CueHit[], explain: string[]): LexiconEvidence {
  let negative = 0;
  let positive = 0;
  const counted = new Set<string>();
  for (const h of hits) {
    if (h.kind !== 'negative' && h.kind !== 'positive') continue;
    // A word counts once per polarity, however many of its terms match ("кошмар", "кошмарн*").
    const key = `${h.kind}@${h.start}`;
    if (counted.has(key)) continue;
    counted.add(key);
    const negated = h.start > 0 && NEGATORS.has(text.tokens[h.start - 1] as string);
    if (h.kind === 'negative') {
      if (negated) positive += 0.5 * h.weight;
      else negative += h.weight;
    } else if (negated) {
      negative += h.weight;
      explain.push(`negated "${text.tokens[h.start - 1] ?? ''} ${text.tokens.slice(h.start, h.end).join(' ')}"`);
    } else positive += h.weight;
  }
  const { tokens } = text;
  let negParticle = false;
  for (let i = 0; i + 1 < tokens.length; i++) {
    // "нет воды", "нет света": absence of something is how most complaints start.
    if (tokens[i] === 'нет') negative += 0.5;
    if (tokens[i] === 'не') negParticle = true;
  }
  // "не работает", "не убирают": a negated verb in a complaint reads as negative.
  if (negParticle) negative += 0.5;
  return { negative, positive };
}

function messageType(p: { gratitude: boolean; review: boolean; question: boolean; urgent: boolean; topical: boolean; label: Sentiment; negativeCues: number }): MessageType {
  if (p.gratitude && p.label !== 'negative') return 'gratitude';
  // "Когда уберут снег?" asks; "Сколько можно терпеть этот бардак?" complains: the words decide.
  if (p.question && p.negativeCues < 1) return 'question';
  if (p.topical && (p.label === 'negative' || (p.urgent && !p.question))) return 'complaint';
  if (p.question) return 'question';
  if (p.gratitude) return 'gratitude';
  if (p.review || (p.topical && p.label === 'positive')) return 'review';
  if (p.topical && p.negativeCues > 0) return 'complaint';
  return 'other';
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
