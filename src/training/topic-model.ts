import { topicFeatures } from '../core/classify/features.js';
import { trainNaiveBayes, type NaiveBayesModel } from '../core/classify/naive-bayes.js';
import type { LabelledPost } from './examples.js';

/**
 * Trains the topic model from the project's labelled posts and moderators' decisions; a decision
 * on the same text replaces the shipped label. `labels` are the top-level ids the rules define.
 */
export function trainTopicModel(shipped: readonly LabelledPost[], moderated: readonly LabelledPost[], labels: readonly string[]): NaiveBayesModel {
  const byText = new Map<string, LabelledPost>();
  for (const p of [...shipped, ...moderated]) byText.set(p.text, p);
  const unknown = [...new Set([...byText.values()].map((p) => p.topic).filter((t) => !labels.includes(t)))];
  if (unknown.length > 0) throw new Error(`labelled posts with topics the rules do not define: ${unknown.join(', ')}`);
  return trainNaiveBayes(
    [...byText.values()].map((p) => ({ features: topicFeatures(p.text), label: p.topic })),
    labels,
    `${shipped.length} project examples + ${moderated.length} moderators' decisions (${byText.size} distinct posts), features: content-word stems and their bigrams`,
    0.3,
    1,
    'topic',
  );
}
