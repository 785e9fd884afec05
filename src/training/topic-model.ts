import { topicFeatures } from '../core/classify/features.js';
import { trainLinearModel, type LinearModel } from '../core/classify/linear-model.js';
import type { TopicBlend } from '../core/classify/classifier.js';
import type { LabelledPost } from './examples.js';

/** L2 penalty of the topic model: weak, as the features are many and the examples few. */
export const TOPIC_L2 = 3e-5;

/**
 * Trains the topic model (softmax regression over stems, bigrams and word prefixes) from the
 * project's labelled posts and moderators' decisions; a decision on the same text replaces the
 * shipped label, and each decision counts `decisionWeight` times a shipped post (they are the
 * region's own words). `labels` are the top-level ids the rules define, `other` among them.
 */
export function trainTopicModel(
  shipped: readonly LabelledPost[],
  moderated: readonly LabelledPost[],
  labels: readonly string[],
  o: { blend?: TopicBlend; decisionWeight?: number; calibrationFolds?: number } = {},
): LinearModel {
  const byText = new Map<string, { post: LabelledPost; weight: number }>();
  for (const p of shipped) byText.set(p.text, { post: p, weight: 1 });
  // Decisions are balanced across topics: a region's stream is mostly roads, and unbalanced the
  // model would learn to say "roads" rather than to read.
  const perTopic = new Map<string, number>();
  for (const p of moderated) perTopic.set(p.topic, (perTopic.get(p.topic) ?? 0) + 1);
  for (const p of moderated) byText.set(p.text, { post: p, weight: ((o.decisionWeight ?? 1) * moderated.length) / (perTopic.size * (perTopic.get(p.topic) ?? 1)) });
  const unknown = [...new Set([...byText.values()].map(({ post }) => post.topic).filter((t) => !labels.includes(t)))];
  if (unknown.length > 0) throw new Error(`labelled posts with topics the rules do not define: ${unknown.join(', ')}`);
  return {
    ...trainLinearModel(
      [...byText.values()].map(({ post, weight }) => ({ features: topicFeatures(post.text), label: post.topic, weight })),
      labels,
      {
        l2: TOPIC_L2,
        featureSet: 'topic',
        calibrationFolds: o.calibrationFolds ?? 5,
        trainedOn: `${shipped.length} project examples + ${moderated.length} moderators' decisions (${byText.size} distinct posts); softmax regression over content-word stems, their bigrams and five-letter prefixes`,
      },
    ),
    ...(o.blend ? { blend: o.blend } : {}),
  };
}
