import { stripLinksAndMentions, tokenizeSentences } from './text.js';
import { detectLanguage, detectLanguageOfWords, LANGUAGE_SAMPLE_CHARS } from './language.js';
import { featureName, textFeatureWalk, topicFeatureWalk, type FeatureWalk } from './features.js';
import { ProblemDetector, problemFeatureWalk } from './problem.js';
import { decideSentiment, lexiconEvidence, sentimentFeatures, sentimentFeatureWalk, type Sentiment } from './sentiment.js';
import { withStems } from './terms.js';
import { TopicRules } from './taxonomy.js';
import { TypoMender } from './typos.js';
import { CueRules, type CueHit } from './cues.js';
import { TerritoryLocator } from './gazetteer.js';
import { AlertPolicy } from './alert-policy.js';
import { DEFAULT_BLEND, type Classification, type ClassifierModels, type ClassifierRules, type PostContext, type TopicBlend } from './classification.js';
import { messageType } from './message-type.js';
import { problemSignals } from './problem-signals.js';
import { blendTopics } from './topic-blend.js';
import { sarcasmIn } from './sarcasm.js';
import { fingerprint as fingerprintOf } from './near-duplicates.js';
import { houseNumbers } from './addresses.js';
import { round3 } from '../numbers.js';
import { OtklikError } from '../errors.js';

// The classifier's vocabulary lives in classification.ts; importers of the classifier get it here too.
export * from './classification.js';

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

/** The cues that make a post without a topic worth a second look for a misspelt thing. */
const MEND_WHEN: ReadonlySet<CueHit['kind']> = new Set(['deficiency', 'request', 'weak']);

const MAX_CHARS = 20_000;
const LINK = /\b(?:https?:\/\/|www\.)\S+/giu;


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
  private readonly mender: TypoMender;

  constructor(
    readonly rules: ClassifierRules,
    readonly models: ClassifierModels = {},
  ) {
    // A model scored with other features than it learnt from would answer nonsense, quietly.
    if (models.sentiment && models.sentiment.featureSet !== 'text') throw new OtklikError('RULES_INVALID', `the sentiment model was trained on ${models.sentiment.featureSet} features, not text`);
    if (models.topics && models.topics.featureSet !== 'topic') throw new OtklikError('RULES_INVALID', `the topic model was trained on ${models.topics.featureSet} features, not topic`);
    this.problemDetector = new ProblemDetector(models.problem);
    this.blend = models.blend ?? models.topics?.blend ?? DEFAULT_BLEND;
    this.topicRules = new TopicRules(rules.taxonomy);
    this.mender = new TypoMender(this.topicRules.spellingWords(), rules.knownStems);
    this.cues = new CueRules(rules.cues);
    this.locator = new TerritoryLocator(rules.gazetteer ?? { version: 1, territories: [] });
    this.policy = new AlertPolicy(rules.alerts, (inner, outer) => this.locator.contains(outer, inner));
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
    const sentences = tokenizeSentences(words.replaceAll('ё', 'е'));
    const sentenceStarts = sentences.sentenceStarts;
    let tokens = sentences.tokens;
    const lang = text.length <= LANGUAGE_SAMPLE_CHARS ? detectLanguageOfWords(words, tokens) : detectLanguage(text);
    const explain: string[] = [lang.reason];
    const language = lang.language;
    let analyzed = withStems(tokens);
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

    let ruled = this.topicRules.score(analyzed);
    let cueHits = this.cues.match(analyzed);
    // A fault with nothing it affects may name the thing misspelt ("не работает линза сфетофора").
    if (ruled.length === 0 && cueHits.some((h) => MEND_WHEN.has(h.kind))) {
      const mended = this.mender.mend(tokens, analyzed.stems);
      const again = mended ? withStems(mended.tokens) : undefined;
      const rescored = again ? this.topicRules.score(again) : [];
      if (mended && again && rescored.length > 0) {
        explain.push(`typo mended: ${mended.changes.join(', ')}`);
        tokens = mended.tokens;
        analyzed = again;
        ruled = rescored;
        cueHits = this.cues.match(again);
      }
    }
    const own = blendTopics(ruled, this.models.topics, this.models.topics ? topicFeatureWalk(text, tokens, analyzed.stems) : [], this.blend, explain);
    const reply = context.kind === 'comment';
    const inherited = reply && own.topics[0]?.id === 'other' && context.parent?.topic !== undefined && context.parent.topic !== 'other';
    // A reply without a topic of its own is about what the post it answers is about (for search and
    // trends; it raises no alert on its own).
    const { topics, subtopic } = inherited ? { topics: [{ id: context.parent?.topic ?? 'other', score: 0.5 }], subtopic: undefined } : own;
    if (inherited) explain.push(`topic ${topics[0]?.id ?? 'other'}: the topic of the post it answers`);
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
    const sarcasm = sarcasmIn(text, cueHits, lex, topical, label, { cues: this.cues, topics: this.topicRules });
    if (sarcasm) {
      explain.push(`sarcasm: ${sarcasm.why}`);
      label = 'negative';
      score = Math.min(score, -0.3);
    }
    const houses = houseNumbers(tokens, where.streetEnds);
    const ads = this.policy.adCues(analyzed);
    const detected = this.problemDetector.detect(
      // Ironic thanks are no thanks: "спасибо за очередную яму" reports the pothole.
      problemSignals(text, sarcasm ? cueHits.filter((h) => h.kind !== 'gratitude') : cueHits, sentenceStarts, ruled.find((g) => g.group === topic) ?? ruled[0], houses.length, ads.terms.length, tokens, signals.emoji.any),
      tokens,
      analyzed.stems,
      this.policy.problemThreshold,
      sarcasm?.kind,
    );
    const ownGroup = ruled.find((g) => g.group === topic);
    const replyWithoutOwn = reply && (inherited || (ownGroup?.termScore ?? 0) === 0 || tokens.length < REPLY_MIN_WORDS);
    const verdict = replyWithoutOwn && detected.problem ? { ...detected, problem: false, cues: [...detected.cues, 'reply'] } : detected;
    if (replyWithoutOwn) explain.push(`a reply with no problem of its own: context for the post it answers${context.parent?.topic ? ` (${context.parent.topic})` : ''}`);
    explain.push(`problem ${verdict.problem ? 'reported' : 'not reported'} (${this.problemDetector.hasModel ? `model ${verdict.score.toFixed(2)} vs ${this.policy.problemThreshold}` : 'rule'}${verdict.cues.length > 0 ? `; ${verdict.cues.join(', ')}` : ''})`);
    const type = messageType({ gratitude: has('gratitude') && !sarcasm, review: has('review'), question, urgent: has('urgent'), topical, label, negativeCues: lex.negative, problem: verdict.problem, reportsNothing: verdict.statement !== undefined });
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
      ads,
      ...(context.everyPostActionable && context.kind !== 'comment' ? { everyPost: true } : {}),
    });
    explain.push(...decision.explain);
    // Only alerts are compared for copies, so only they pay for a fingerprint.
    const shortReply = reply && context.parent && tokens.length < SHORT_REPLY_WORDS;
    const fingerprint = decision.alert ? fingerprintOf(analyzed.stems, shortReply ? [...houses, `re:${context.parent?.id ?? ''}`] : houses) : undefined;
    const result: Classification = {
      language,
      topics,
      ...(subtopic === undefined ? {} : { subtopic }),
      sentiment: { label, score: round3(score) },
      type,
      problem: { reported: verdict.problem, score: round3(verdict.score) },
      ...(sarcasm ? { sarcasm: true } : {}),
      ...(territory === undefined ? {} : { territory }),
      ...(where.candidates ? { territoryCandidates: where.candidates } : {}),
      spam: decision.spam,
      ...(decision.noise.length > 0 ? { noise: decision.noise } : {}),
      alert: decision.alert,
      priority: decision.priority,
      ...(fingerprint === undefined ? {} : { fingerprint }),
      explain,
    };
    return { result, problem: { designed: verdict.cues, tokens, stems: analyzed.stems }, sentiment: sentimentWalk };
  }

}

