/**
 * Trains the shipped models from the labelled sets in rules/training/ and writes rules/models/.
 * Deterministic: the same data gives the same files, so a diff shows what a retraining changed.
 *
 *   npm run train
 */
import { writeFileSync } from 'node:fs';
import { textFeatures } from '../src/core/classify/features.js';
import { trainNaiveBayes } from '../src/core/classify/naive-bayes.js';
import { readCedr } from '../src/training/cedr.js';
import { resolveProjectPath } from '../src/paths.js';

const train = readCedr(resolveProjectPath('rules/training/cedr/cedr-main-train.csv'));
const model = trainNaiveBayes(
  train.map((t) => ({ features: textFeatures(t.text), label: t.label })),
  ['negative', 'neutral', 'positive'],
  `CEDR main train split (${train.length} sentences as polarity), features: stems, stem bigrams, negation, smileys`,
  0.5,
  2,
);
const out = resolveProjectPath('rules/models/sentiment.json');
writeFileSync(out, JSON.stringify(model) + '\n');
process.stdout.write(`sentiment: ${Object.keys(model.features).length} features from ${train.length} sentences → ${out}\n`);
