import { describe, expect, it } from 'vitest';
import { trainTopicModel } from '../../../src/training/topic-model.js';
import { predictLinear } from '../../../src/core/classify/linear-model.js';
import { topicFeatures } from '../../../src/core/classify/features.js';
import { isTestExample, readLabelledPosts } from '../../../src/training/examples.js';
import { resolveProjectPath } from '../../../src/paths.js';

const best = (ps: { label: string; p: number }[]) => ps.reduce((a, b) => (b.p > a.p ? b : a)).label;
const shipped = readLabelledPosts(resolveProjectPath('rules/training/examples.jsonl')).filter((p) => !isTestExample(p));
const labels = ['roads', 'transport', 'landscaping', 'lighting', 'snow', 'waste', 'housing', 'education', 'healthcare', 'social', 'safety', 'ecology', 'animals', 'other'];

describe('topic model training', () => {
  it('learns the shipped examples and is deterministic', () => {
    const a = trainTopicModel(shipped, [], labels);
    expect(JSON.stringify(trainTopicModel(shipped, [], labels))).toBe(JSON.stringify(a));
    expect(best(predictLinear(a, topicFeatures('Яма на дороге, асфальт разбит')).probabilities)).toBe('roads');
    expect(a.featureSet).toBe('topic');
  });

  it("moderators' decisions teach it new vocabulary and override a shipped label", () => {
    const text = 'Самокатчики гоняют по набережной и сбивают пешеходов';
    const before = trainTopicModel(shipped, [], labels);
    const decisions = [
      { text, topic: 'safety', origin: 'moderator:anna' },
      { text: 'Электросамокаты брошены поперёк тротуара у метро', topic: 'safety', origin: 'moderator:anna' },
      { text: 'Прокатные самокаты гоняют по паркам', topic: 'safety', origin: 'moderator:boris' },
    ];
    const after = trainTopicModel(shipped, decisions, labels);
    const p = (m: typeof after) => predictLinear(m, topicFeatures('Самокаты носятся по двору')).probabilities.find((x) => x.label === 'safety')?.p ?? 0;
    expect(p(after)).toBeGreaterThan(p(before));
    const relabelled = shipped[0]!;
    const overridden = trainTopicModel(shipped, [{ text: relabelled.text, topic: 'other' }], labels);
    expect(overridden.trainedOn).toMatch(/1 moderators' decisions/);
  });

  it('refuses a decision with a topic the rules do not define', () => {
    expect(() => trainTopicModel(shipped, [{ text: 'x', topic: 'weather' }], labels)).toThrow(/weather/);
  });
});
