import { predictLinear, type LinearModel } from './linear-model.js';
import type { FeatureWalk } from './features.js';
import type { CueHit } from './cues.js';
import { round3 } from '../numbers.js';

/** The three sentiment classes. */
export type Sentiment = 'negative' | 'neutral' | 'positive';

export interface SentimentResult {
  label: Sentiment;
  /** positive − negative, in [-1, 1]. */
  score: number;
  explain: string;
}

/** What the keyword lexicon counted in the text (negation already applied). */
export interface LexiconEvidence {
  negative: number;
  positive: number;
}

/** What the sentiment features read besides the words. */
export interface SentimentSignals {
  cues: readonly CueHit[];
  /** The text's tokens: a cue right after a negator is negated, right after an intensifier stronger. */
  words: readonly string[];
  emoji: { positive: number; negative: number };
  /** The raw text, for bracket smileys and punctuation. */
  text: string;
}

const NEGATORS = new Set(['не', 'нет', 'ни', 'без', 'никогда']);

/**
 * The lexicon's count of negative and positive words and emoji, negation-aware: "не работает",
 * "нет воды" and "не хорошо" count as negative, "не плохо" as mildly positive.
 */
export function lexiconEvidence(s: Pick<SentimentSignals, 'cues' | 'words' | 'emoji'>): LexiconEvidence {
  // An emoji is a feeling word: 😡 counts as "злюсь" does, whatever the training sets had of them.
  let negative = s.emoji.negative;
  let positive = s.emoji.positive;
  const counted = new Set<number>();
  for (const h of s.cues) {
    if (h.kind !== 'negative' && h.kind !== 'positive') continue;
    // A word counts once per polarity, however many of its terms match ("кошмар", "кошмарн*").
    const key = h.start * 2 + (h.kind === 'positive' ? 1 : 0);
    if (counted.has(key)) continue;
    counted.add(key);
    const negated = h.start > 0 && NEGATORS.has(s.words[h.start - 1] as string);
    if (h.kind === 'negative') {
      if (negated) positive += 0.5 * h.weight;
      else negative += h.weight;
    } else if (negated) negative += h.weight;
    else positive += h.weight;
  }
  let negParticle = false;
  for (let i = 0; i + 1 < s.words.length; i++) {
    // "нет воды", "нет света": absence of something is how most complaints start.
    if (s.words[i] === 'нет') negative += 0.5;
    if (s.words[i] === 'не') negParticle = true;
  }
  // "не работает", "не убирают": a negated verb in a complaint reads as negative.
  if (negParticle) negative += 0.5;
  return { negative, positive };
}

const SMILE = /\)\)|(?:^|\s)[:;=]-?[)D](?!\p{L})|(?:^|\s)\)(?:\s|$)/u;
const FROWN = /\(\(|(?:^|\s)[:;=]-?\((?!\p{L})/u;

/**
 * The designed sentiment features (`f:`, counted whole whatever the length): the lexicon's words
 * with negation ("не хорошо" is negative) and intensifiers ("очень плохо"), emoji, bracket smileys
 * and punctuation. They carry across registers — a tweet, a VK post, an appeal — where the words
 * a model learnt from one corpus do not.
 */
export function sentimentFeatures(s: SentimentSignals): string[] {
  const f: string[] = [];
  let pos = 0;
  let neg = 0;
  let negatedPos = 0;
  let negatedNeg = 0;
  let strongPos = 0;
  let strongNeg = 0;
  const seen = new Set<number>();
  const intensifierEnds = new Set<number>();
  let fault = false;
  let lack = false;
  let ask = false;
  let again = false;
  let thanks = false;
  for (const h of s.cues) {
    if (h.kind === 'intensifier') intensifierEnds.add(h.end);
    else if (h.kind === 'deficiency') fault = true;
    else if (h.kind === 'weak') lack = true;
    else if (h.kind === 'request' || h.kind === 'modal') ask = true;
    else if (h.kind === 'duration') again = true;
    else if (h.kind === 'gratitude') thanks = true;
  }
  for (const h of s.cues) {
    if (h.kind !== 'negative' && h.kind !== 'positive') continue;
    const key = h.start * 2 + (h.kind === 'positive' ? 1 : 0);
    if (seen.has(key)) continue;
    seen.add(key);
    const before = s.words[h.start - 1];
    const negated = before !== undefined && NEGATORS.has(before);
    const intensified = intensifierEnds.has(h.start);
    if (h.kind === 'positive') {
      if (negated) negatedPos++;
      else {
        pos++;
        if (intensified) strongPos++;
      }
    } else if (negated) negatedNeg++;
    else {
      neg++;
      if (intensified) strongNeg++;
    }
  }
  const bucket = (n: number, name: string) => {
    if (n >= 1) f.push(`${name}1`);
    if (n >= 2) f.push(`${name}2`);
    if (n >= 3) f.push(`${name}3`);
  };
  // Emoji count as feeling words (the training sets hold few), and as emoji of their own.
  pos += s.emoji.positive;
  neg += s.emoji.negative;
  bucket(pos, 'pos');
  bucket(neg, 'neg');
  if (negatedPos > 0) f.push('npos');
  if (negatedNeg > 0) f.push('nneg');
  if (strongPos > 0) f.push('ipos');
  if (strongNeg > 0) f.push('ineg');
  if (pos > 0 && neg > 0) f.push('mixed');
  if (pos === 0 && neg === 0 && negatedPos === 0 && negatedNeg === 0) f.push('nolex');
  bucket(s.emoji.positive, 'epos');
  bucket(s.emoji.negative, 'eneg');
  if (SMILE.test(s.text)) f.push('smile');
  if (FROWN.test(s.text)) f.push('frown');
  if (s.text.includes('!')) f.push('excl');
  if (s.text.includes('?')) f.push('q');
  if (thanks) f.push('thanks');
  // How complaints are worded carries their mood even without a feeling word: "нет воды",
  // "не вывозят", "сколько можно".
  if (fault) f.push('fault');
  if (lack) f.push('lack');
  if (ask) f.push('ask');
  if (again) f.push('again');
  if (s.words.length <= 3) f.push('short');
  return f;
}

/** The designed features, then the words' features (stems, negated stems, bigrams, marks). */
export function sentimentFeatureWalk(designed: readonly string[], words: FeatureWalk): FeatureWalk {
  return (emit) => {
    for (const name of designed) emit('f', name);
    words(emit);
  };
}

/** A score a neutral label may carry, at most this far from zero. */
const NEUTRAL_BAND = 0.2;

/**
 * Sentiment by the linear model (labels negative, neutral, positive) over the designed features and
 * the words; without a model, by the lexicon alone. The model's probabilities are calibrated, and a
 * text without a single feeling word carries that as a feature of its own (`nolex`), so no
 * threshold is laid over them; one override stays where the training sets mislead: a question
 * without a word of praise is not positive ("Когда почистят двор?" — CEDR hears "почистят" as joy).
 */
export function decideSentiment(model: LinearModel | undefined, walk: FeatureWalk, lex: LexiconEvidence, question: boolean): SentimentResult {
  const cues = lex.negative + lex.positive;
  const lexPolarity = (lex.positive - lex.negative) / Math.max(1, cues);
  if (!model) {
    const label: Sentiment = lexPolarity <= -0.2 ? 'negative' : lexPolarity >= 0.34 ? 'positive' : 'neutral';
    return { label, score: round3(lexPolarity), explain: `sentiment ${label} by lexicon (neg ${lex.negative}, pos ${lex.positive})` };
  }
  const pred = predictLinear(model, walk);
  const p = (l: string) => pred.probabilities.find((x) => x.label === l)?.p ?? 0;
  const probs = [p('negative'), p('neutral'), p('positive')];
  const labels: Sentiment[] = ['negative', 'neutral', 'positive'];
  let best = 0;
  for (let i = 1; i < 3; i++) if ((probs[i] as number) > (probs[best] as number)) best = i;
  let score = (probs[2] as number) - (probs[0] as number);
  let overruled = '';
  if (question && best === 2 && lex.positive === 0) overruled = '; neutral: a question without praise';
  if (overruled !== '') {
    best = 1;
    score = Math.min(Math.max(score, -NEUTRAL_BAND), NEUTRAL_BAND);
  }
  const label = labels[best] as Sentiment;
  const explain = `sentiment ${label}: model ${probs.map((x) => x.toFixed(2)).join('/')} (neg/neu/pos${pred.evidence.length > 0 ? `; ${pred.evidence.join(', ')}` : ''}), lexicon neg ${lex.negative} pos ${lex.positive}${overruled}`;
  return { label, score: round3(score), explain };
}

