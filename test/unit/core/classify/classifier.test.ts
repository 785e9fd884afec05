import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { KeywordClassifier } from '../../../../src/core/classify/classifier.js';
import { topicRulesSchema } from '../../../../src/core/classify/rules.js';
import { loadJsonRules } from '../../../../src/adapters/files/json-rules.js';
import { projectRoot } from '../../../../src/paths.js';

const classifier = new KeywordClassifier(loadJsonRules(join(projectRoot, 'rules/topics.json'), topicRulesSchema));

describe('KeywordClassifier (first version)', () => {
  it.each([
    ['На улице Ленина огромная яма, машины бьют колёса. Ужас!', 'roads', 'complaint'],
    ['Автобус №12 опять не пришёл, стоим на остановке сорок минут', 'transport', 'complaint'],
    ['Во дворе не горят фонари, темно и страшно', 'lighting', 'complaint'],
    ['Когда будут убирать снег во дворе?', 'snow', 'question'],
    ['В доме нет горячей воды третий день, управляющая компания молчит', 'housing', 'complaint'],
    ['Мусор у контейнеров не вывозят неделю', 'waste', 'complaint'],
  ])('%s → %s / %s, an alert', (text, topic, type) => {
    const c = classifier.classify(text);
    expect(c.topics[0]?.id).toBe(topic);
    expect(c.type).toBe(type);
    expect(c.alert).toBe(true);
    expect(c.explain.some((e) => e.startsWith(`topic ${topic}`))).toBe(true);
  });

  it('thanks are gratitude, not alerts', () => {
    const c = classifier.classify('Спасибо дорожникам, яму заделали за день!');
    expect(c.type).toBe('gratitude');
    expect(c.alert).toBe(false);
  });

  it('ads and chatter are not alerts', () => {
    expect(classifier.classify('Скидки до 50% на зимнюю резину! Доставка бесплатно, звоните.')).toMatchObject({ spam: true, alert: false });
    expect(classifier.classify('Всем доброе утро! Хорошего дня')).toMatchObject({ alert: false, topics: [{ id: 'other', score: 0 }] });
  });

  it('negation turns a positive word negative', () => {
    expect(classifier.classify('Лифт не хорошо работает').sentiment.label).toBe('negative');
  });

  it('"дорогой" (dear) does not make a post about roads', () => {
    expect(classifier.classify('Дорогой друг, с днём рождения!').topics[0]?.id).toBe('other');
  });

  it('urgent words raise the priority of an alert', () => {
    expect(classifier.classify('Срочно! Прорыв трубы, вода заливает подвал, аварийная не едет').priority).toBe('high');
  });

  it('never throws on hostile text', () => {
    for (const text of ['', '🙂🙂🙂', 'https://vk.com/x', '\ud800 broken surrogate', 'я'.repeat(100_000), 'Ям\u200bа на дороге']) {
      expect(() => classifier.classify(text)).not.toThrow();
    }
    expect(classifier.classify('').explain).toContain('no words');
  });
});
