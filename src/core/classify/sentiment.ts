import { predictNaiveBayes, type NaiveBayesModel } from './naive-bayes.js';
import type { FeatureWalk } from './features.js';
import type { Sentiment } from './classifier.js';

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

/**
 * Sentiment from two layers: the linear model (trained on CEDR, long informal sentences) and the
 * lexicon with negation (complaint vocabulary: "нет воды", "не работает", "спасибо"), which decides
 * most of a very short text and counts less as the text grows. Without a model, the lexicon alone.
 */
/** How much the lexicon counts: per cue, at most, and from how many words on it fades. */
export interface LexiconWeighting {
  perCue: number;
  cap: number;
  fadeAfterWords: number;
}

/** Without lexicon evidence, how sure the model must be of negative or positive. */
const UNCUED_MIN = 0.6;

export const DEFAULT_WEIGHTING: LexiconWeighting = { perCue: 0.5, cap: 0.5, fadeAfterWords: 15 };

/** A score a neutral label may carry, at most this far from zero. */
const NEUTRAL_BAND = 0.2;

/** `question`: the post asks something; asking is not praising. */
export function combineSentiment(model: NaiveBayesModel | undefined, features: readonly string[] | FeatureWalk, lex: LexiconEvidence, words: number, question = false, w: LexiconWeighting = DEFAULT_WEIGHTING): SentimentResult {
  const cues = lex.negative + lex.positive;
  const lexPolarity = (lex.positive - lex.negative) / Math.max(1, cues);
  const lexProbs = lexPolarity <= -0.2 ? [1, 0, 0] : lexPolarity >= 0.34 ? [0, 0, 1] : [0.15, 0.7, 0.15];
  if (!model) {
    const label: Sentiment = lexProbs[0] === 1 ? 'negative' : lexProbs[2] === 1 ? 'positive' : 'neutral';
    return { label, score: round(lexPolarity), explain: `sentiment ${label} by lexicon (neg ${lex.negative}, pos ${lex.positive})` };
  }
  const pred = predictNaiveBayes(model, features);
  const p = (l: string) => pred.probabilities.find((x) => x.label === l)?.p ?? 0;
  const modelProbs = [p('negative'), p('neutral'), p('positive')];
  // The lexicon's say grows with its evidence and shrinks with the text's length.
  const weight = cues === 0 ? 0 : Math.min(w.cap, w.perCue * cues) * (words <= w.fadeAfterWords ? 1 : w.fadeAfterWords / words);
  const mixed = modelProbs.map((m, i) => (1 - weight) * m + weight * (lexProbs[i] as number));
  const labels: Sentiment[] = ['negative', 'neutral', 'positive'];
  let best = 0;
  for (let i = 1; i < 3; i++) if ((mixed[i] as number) > (mixed[best] as number)) best = i;
  let score = (mixed[2] as number) - (mixed[0] as number);
  let overruled = '';
  // Without a single cue word the model alone must be clearly sure to call a feeling: naive Bayes
  // tips "Автобус 12 ходит с шести утра" to negative by one word a complaint corpus is full of.
  if (cues === 0 && best !== 1 && (mixed[best] as number) < UNCUED_MIN) overruled = `; neutral: no cue word and the model below ${UNCUED_MIN}`;
  // Asking when the snow will be cleared is not praise, though the model hears "почистят" and
  // "добрый" as joy: a question is positive only with a word of praise or thanks in it.
  else if (question && best === 2 && lex.positive === 0) overruled = '; neutral: a question without praise';
  if (overruled !== '') {
    best = 1;
    score = Math.min(Math.max(score, -NEUTRAL_BAND), NEUTRAL_BAND);
  }
  const label = labels[best] as Sentiment;
  const explain = `sentiment ${label}: model ${modelProbs.map((x) => x.toFixed(2)).join('/')} (neg/neu/pos${pred.evidence.length > 0 ? `; ${pred.evidence.join(', ')}` : ''}), lexicon neg ${lex.negative} pos ${lex.positive} weight ${weight.toFixed(2)}${overruled}`;
  return { label, score: round(score), explain };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
