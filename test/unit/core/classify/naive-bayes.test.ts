import { describe, expect, it } from 'vitest';
import { naiveBayesModelSchema, predictNaiveBayes, trainNaiveBayes } from '../../../../src/core/classify/naive-bayes.js';
import { textFeatureWalk, textFeatures, topicFeatureWalk, topicFeatures } from '../../../../src/core/classify/features.js';

const examples = [
  ['Нет воды третий день, ужас', 'negative'],
  ['Опять не работает лифт, безобразие', 'negative'],
  ['Ужасная дорога, сплошные ямы', 'negative'],
  ['Спасибо за быстрый ремонт, молодцы', 'positive'],
  ['Отличная новая площадка, дети рады', 'positive'],
  ['Благодарю водителя, очень вежливый', 'positive'],
  ['Автобус ходит по расписанию с восьми', 'neutral'],
  ['Собрание жителей в четверг в школе', 'neutral'],
  ['Поликлиника работает до шести', 'neutral'],
].map(([text, label]) => ({ features: textFeatures(text as string), label: label as string }));
const labels = ['negative', 'neutral', 'positive'];

describe('naive Bayes', () => {
  it('learns from examples and says which features decided', () => {
    const m = trainNaiveBayes(examples, labels, 'test', 0.5, 1);
    const p = predictNaiveBayes(m, textFeatures('Ужас, снова нет воды'));
    expect(p.probabilities.reduce((a, b) => (b.p > a.p ? b : a)).label).toBe('negative');
    expect(p.probabilities.reduce((s, x) => s + x.p, 0)).toBeCloseTo(1, 6);
    expect(p.evidence.length).toBeGreaterThan(0);
    expect(predictNaiveBayes(m, textFeatures('Спасибо, молодцы!')).probabilities.reduce((a, b) => (b.p > a.p ? b : a)).label).toBe('positive');
  });

  it('is deterministic and round-trips through its JSON schema; pruning drops features seen once', () => {
    const a = trainNaiveBayes(examples, labels, 'test');
    const b = trainNaiveBayes([...examples].reverse(), labels, 'test');
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(naiveBayesModelSchema.parse(JSON.parse(JSON.stringify(a)))).toEqual(a);
    expect(Object.keys(a.features).length).toBeLessThan(Object.keys(trainNaiveBayes(examples, labels, 'test', 0.5, 1).features).length);
  });

  it('a walk over the text scores exactly as the feature names do, evidence included', () => {
    const m = trainNaiveBayes(examples, labels, 'test', 0.5, 1);
    const topic = trainNaiveBayes(examples.map((e, i) => ({ ...e, features: topicFeatures(['Нет воды третий день', 'Лифт опять не работает', 'Ямы на дороге'][i % 3] as string) })), labels, 'test', 0.5, 1, 'topic');
    for (const text of ['Ужас, снова нет воды!', 'Не работает лифт(((', 'Спасибо, молодцы))', 'Опять не работает лифт, безобразие', '']) {
      expect(predictNaiveBayes(m, textFeatureWalk(text))).toEqual(predictNaiveBayes(m, textFeatures(text)));
      expect(predictNaiveBayes(topic, topicFeatureWalk(text), 2)).toEqual(predictNaiveBayes(topic, topicFeatures(text), 2));
    }
    expect(predictNaiveBayes(m, textFeatureWalk('Опять не работает лифт')).evidence).toContain('n:работа');
  });

  it('an empty or unknown text falls back to the priors without throwing', () => {
    const m = trainNaiveBayes(examples, labels, 'test');
    for (const text of ['', '😀', 'qwerty zxcv']) expect(predictNaiveBayes(m, textFeatures(text)).probabilities).toHaveLength(3);
  });
});

describe('textFeatures', () => {
  it('stems, bigrams, negation carried to the next word, bracket smileys', () => {
    const f = textFeatures('Лифт не работает(((');
    expect(f).toContain('w:лифт');
    expect(f).toContain('n:работа');
    expect(f).not.toContain('w:работа');
    expect(f).toContain('m:frown');
    expect(textFeatures('Всё починили))')).toContain('m:smile');
    expect(textFeatures('Ямы на дорогах')).toContain('b:на_дорог');
  });
});
