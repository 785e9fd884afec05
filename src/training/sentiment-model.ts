import { trainLinearModel, type LinearModel } from '../core/classify/linear-model.js';
import type { Polarity } from './cedr.js';

/** L2 penalty of the sentiment model's words and of its designed (lexicon, emoji) features. */
export const SENTIMENT_L2 = 1e-4;
export const SENTIMENT_L2_DESIGNED = 1e-4;

/**
 * CEDR's share of the training weight; the project's posts with a sentiment have the rest. Chosen by
 * leaving one CEDR source out (train on two sources' train split and the posts, score the third's
 * train split; mean macro-F1) next to the project's held-out sets (mean of four): 0.35 gave 0.583 /
 * 0.783, 0.5 0.592 / 0.782, 0.7 0.602 / 0.766, 0.8 0.605 / 0.722, CEDR alone 0.612 / 0.477 — the
 * posts teach complaint wording CEDR lacks, CEDR the register of ordinary posts.
 */
export const SENTIMENT_CEDR_SHARE = 0.5;

/**
 * Trains the sentiment model (softmax regression over lexicon features and words) from texts with
 * a polarity: CEDR's sentences and the project's labelled posts. Each source weighs its share (the
 * same for all by default), and within it each label alike: most of the project's posts are
 * complaints, and unbalanced they would teach every topic word ("автобус") to mean "negative".
 */
export function trainSentimentModel(sources: readonly { name: string; texts: readonly { text: string; label: Polarity }[]; share?: number }[], featuresOf: (text: string) => string[], penalty: { l2?: number; l2Designed?: number } = {}): LinearModel {
  const labels: Polarity[] = ['negative', 'neutral', 'positive'];
  const examples = sources.flatMap((src) => {
    const counts = new Map<Polarity, number>();
    for (const t of src.texts) counts.set(t.label, (counts.get(t.label) ?? 0) + 1);
    const present = [...counts.keys()].length;
    const share = src.share ?? 1 / sources.length;
    return src.texts.map((t) => ({ features: featuresOf(t.text), label: t.label, weight: share / (present * (counts.get(t.label) ?? 1)) }));
  });
  return trainLinearModel(examples, labels, {
    l2: penalty.l2 ?? SENTIMENT_L2,
    l2Designed: penalty.l2Designed ?? SENTIMENT_L2_DESIGNED,
    featureSet: 'text',
    calibrationFolds: 5,
    trainedOn: `${sources.map((s) => `${s.name} (${s.texts.length})`).join(' + ')}, each source and label weighted alike; lexicon features with negation and intensifiers, emoji, smileys, stems, negated stems, bigrams`,
  });
}
