/**
 * Trains the shipped models from the labelled sets in rules/training/ and writes rules/models/.
 * Deterministic: the same data gives the same files, so a diff shows what a retraining changed.
 *
 *   npm run train                              shipped sets (+ rules/training/moderated.jsonl if present)
 *   npm run train -- --labels decisions.jsonl  also moderators' decisions (npm run labels:export)
 *
 * The topic model learns from the train part of the fixed split only, so `npm run eval` measures
 * it on posts it never saw; moderators' decisions all go to training (they are not in the eval).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { textFeatures } from '../src/core/classify/features.js';
import { trainTopicModel } from '../src/training/topic-model.js';
import { trainNaiveBayes } from '../src/core/classify/naive-bayes.js';
import { readCedr } from '../src/training/cedr.js';
import { isTestExample, readLabelledPosts, type LabelledPost } from '../src/training/examples.js';
import { loadClassifier } from '../src/roles/rules.js';
import { loadConfig } from '../src/config/config.js';
import { resolveProjectPath } from '../src/paths.js';

const argIndex = process.argv.indexOf('--labels');
const extra = argIndex > 0 ? process.argv[argIndex + 1] : undefined;

// Sentiment: CEDR (long informal sentences) plus the project's VK-style posts (train part): their
// complaint vocabulary is what CEDR lacks. Most of those posts are complaints, so each label is
// repeated in inverse proportion to its count; otherwise every topic word ("автобус") would learn
// to mean "negative".
const domainCounts = new Map<string, number>();
const train = readCedr(resolveProjectPath('rules/training/cedr/cedr-main-train.csv'));
// The project's examples, train part only: eval measures both models on the rest.
const shipped = readLabelledPosts(resolveProjectPath('rules/training/examples.jsonl'), 'rules/training/examples.jsonl').filter((p) => !isTestExample(p));
const domain = shipped.filter((p) => p.sentiment !== undefined);
for (const p of domain) domainCounts.set(p.sentiment ?? 'neutral', (domainCounts.get(p.sentiment ?? 'neutral') ?? 0) + 1);
const largest = Math.max(...domainCounts.values());
const repeats = (label: string) => Math.max(1, Math.round((largest) / (domainCounts.get(label) ?? largest)));
const sentiment = trainNaiveBayes(
  [
    ...train.map((t) => ({ features: textFeatures(t.text), label: t.label })),
    ...domain.flatMap((p) => Array.from({ length: repeats(p.sentiment ?? 'neutral') }, () => ({ features: textFeatures(p.text), label: p.sentiment ?? 'neutral' }))),
  ],
  ['negative', 'neutral', 'positive'],
  `CEDR main train split (${train.length} sentences as polarity) + rules/training/examples.jsonl train split (${domain.length} posts, labels balanced), features: stems, stem bigrams, negation, smileys`,
  0.5,
  2,
);
const sentimentOut = resolveProjectPath('rules/models/sentiment.json');
writeFileSync(sentimentOut, JSON.stringify(sentiment) + '\n');
process.stdout.write(`sentiment: ${Object.keys(sentiment.features).length} features from ${train.length} sentences and ${domain.length} posts → ${sentimentOut}\n`);

// Topics: the project's own examples (train part), moderators' decisions, and nothing else.
const moderatedFile = resolveProjectPath('rules/training/moderated.jsonl');
const moderated: LabelledPost[] = [
  ...(existsSync(moderatedFile) ? readLabelledPosts(moderatedFile, 'rules/training/moderated.jsonl') : []),
  ...(extra ? readLabelledPosts(extra) : []),
];
const config = loadConfig({});
const labels = loadClassifier({ ...config, TOPIC_MODEL_FILE: '' })
  .topicIds()
  .filter((id) => !id.includes('.'));
const topics = trainTopicModel(shipped, moderated, labels);
const topicsOut = resolveProjectPath('rules/models/topics.json');
writeFileSync(topicsOut, JSON.stringify(topics) + '\n');
process.stdout.write(`topics: ${Object.keys(topics.features).length} features from ${shipped.length} examples and ${moderated.length} moderators' decisions → ${topicsOut}\n`);
