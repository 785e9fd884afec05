import { describe, expect, it } from 'vitest';
import { linearModelSchema, predictLinear, trainLinearModel } from '../../../../src/core/classify/linear-model.js';
import { textFeatureWalk, textFeatures, topicFeatureWalk, topicFeatures } from '../../../../src/core/classify/features.js';

const texts: [string, string][] = [
  ['Нет воды третий день, ужас', 'negative'],
  ['Опять не работает лифт, безобразие', 'negative'],
  ['Ужасная дорога, сплошные ямы', 'negative'],
  ['Спасибо за быстрый ремонт, молодцы', 'positive'],
  ['Отличная новая площадка, дети рады', 'positive'],
  ['Благодарю водителя, очень вежливый', 'positive'],
  ['Автобус ходит по расписанию с восьми', 'neutral'],
  ['Собрание жителей в четверг в школе', 'neutral'],
  ['Поликлиника работает до шести', 'neutral'],
];
const examples = texts.map(([text, label]) => ({ features: textFeatures(text), label }));
const labels = ['negative', 'neutral', 'positive'];
const best = (ps: { label: string; p: number }[]) => ps.reduce((a, b) => (b.p > a.p ? b : a)).label;
const opts = { l2: 1e-3, minCount: 1, featureSet: 'text' as const, trainedOn: 'test' };

describe('softmax regression', () => {
  it('learns from examples, its probabilities sum to 1 and it says which features decided', () => {
    const m = trainLinearModel(examples, labels, opts);
    const p = predictLinear(m, textFeatures('Ужас, снова нет воды'));
    expect(best(p.probabilities)).toBe('negative');
    expect(p.probabilities.reduce((s, x) => s + x.p, 0)).toBeCloseTo(1, 9);
    expect(p.evidence.length).toBeGreaterThan(0);
    expect(best(predictLinear(m, textFeatures('Спасибо, молодцы!')).probabilities)).toBe('positive');
  });

  it('is deterministic whatever the order of examples, round-trips through its schema, and prunes rare features', () => {
    const a = trainLinearModel(examples, labels, { ...opts, minCount: 2 });
    const b = trainLinearModel([...examples].reverse(), labels, { ...opts, minCount: 2 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(linearModelSchema.parse(JSON.parse(JSON.stringify(a)))).toEqual(a);
    expect(Object.keys(a.weights).length).toBeLessThan(Object.keys(trainLinearModel(examples, labels, opts).weights).length);
  });

  it('a walk over the text scores exactly as the feature names do', () => {
    const m = trainLinearModel(examples, labels, opts);
    const topic = trainLinearModel(
      texts.map(([t], i) => ({ features: topicFeatures(t), label: ['water', 'lift', 'roads'][i % 3] as string })),
      ['water', 'lift', 'roads'],
      { ...opts, featureSet: 'topic' },
    );
    for (const text of ['Ужас, снова нет воды!', 'Не работает лифт(((', 'Спасибо, молодцы))', 'Опять не работает лифт, безобразие', '']) {
      expect(predictLinear(m, textFeatureWalk(text))).toEqual(predictLinear(m, textFeatures(text)));
      expect(predictLinear(topic, topicFeatureWalk(text))).toEqual(predictLinear(topic, topicFeatures(text)));
    }
  });

  it('an empty or unknown text gets the biases without throwing', () => {
    const m = trainLinearModel(examples, labels, opts);
    for (const text of ['', '😀', 'qwerty zxcv']) expect(predictLinear(m, textFeatures(text)).probabilities).toHaveLength(3);
  });

  it('designed features count whole whatever the length; words are scaled to unit length', () => {
    // One designed feature decides; the same evidence buried among many words still decides.
    const ex = [
      ...Array.from({ length: 20 }, (_, i) => ({ features: ['f:yes', `w:a${i}`, `w:b${i}`, `w:c${i}`], label: 'yes' })),
      ...Array.from({ length: 20 }, (_, i) => ({ features: [`w:a${i}`, `w:b${i}`, `w:c${i}`], label: 'no' })),
    ];
    const m = trainLinearModel(ex, ['no', 'yes'], { l2: 1e-3, minCount: 1, featureSet: 'problem', trainedOn: 'test' });
    const long = ['f:yes', ...Array.from({ length: 200 }, (_, i) => `w:a${i % 20}`)];
    expect(best(predictLinear(m, long).probabilities)).toBe('yes');
    expect(best(predictLinear(m, long.slice(1)).probabilities)).toBe('no');
  });

  it('a stronger penalty on words than on designed features keeps the designed ones in charge', () => {
    const ex = [
      ...Array.from({ length: 10 }, (_, i) => ({ features: ['f:cue', `w:x${i % 2}`], label: 'yes' })),
      ...Array.from({ length: 10 }, (_, i) => ({ features: [`w:x${i % 2}`], label: 'no' })),
    ];
    const even = trainLinearModel(ex, ['no', 'yes'], { l2: 1e-2, minCount: 1, featureSet: 'problem', trainedOn: 't' });
    const designedFree = trainLinearModel(ex, ['no', 'yes'], { l2: 1e-2, l2Designed: 1e-5, minCount: 1, featureSet: 'problem', trainedOn: 't' });
    const margin = (w: number[] | undefined) => (w?.[1] ?? 0) - (w?.[0] ?? 0);
    expect(margin(designedFree.weights['f:cue'])).toBeGreaterThan(margin(even.weights['f:cue']));
  });

  it('the temperature fitted on held-out folds softens an overconfident model', () => {
    // Noisy labels: the same words under both labels a third of the time.
    const noisy = Array.from({ length: 60 }, (_, i) => ({ features: [`w:${i % 3 === 0 ? 'b' : 'a'}`, `w:n${i % 7}`], label: i % 2 === 0 ? 'x' : 'y' }));
    const m = trainLinearModel(noisy, ['x', 'y'], { l2: 1e-6, minCount: 1, featureSet: 'topic', trainedOn: 't', calibrationFolds: 5 });
    expect(m.temperature).toBeGreaterThan(1);
    expect(trainLinearModel(noisy, ['x', 'y'], { l2: 1e-6, minCount: 1, featureSet: 'topic', trainedOn: 't' }).temperature).toBe(1);
  });

  it('refuses a model whose weights do not match its labels', () => {
    const m = trainLinearModel(examples, labels, opts);
    const broken = { ...m, weights: { ...m.weights, 'w:x': [1, 2] } };
    expect(linearModelSchema.safeParse(broken).success).toBe(false);
    expect(linearModelSchema.safeParse({ ...m, bias: [0] }).success).toBe(false);
  });
});
