import { describe, expect, it } from 'vitest';
import { loadClassifier } from '../../../../src/roles/rules.js';
import { loadConfig } from '../../../../src/config/config.js';

const c = loadClassifier(loadConfig({}));
const label = (t: string) => c.classify(t).sentiment.label;

describe('sentiment with the shipped model and the lexicon', () => {
  it('short complaints, negation included, read negative', () => {
    for (const t of ['Лифт не работает', 'Опять нет горячей воды', 'Ужас, яма на яме', 'Мусор не вывозят неделю, безобразие']) expect(label(t)).toBe('negative');
  });

  it('thanks and praise read positive; a negated praise does not', () => {
    for (const t of ['Спасибо за быструю работу!', 'Отличный новый сквер, молодцы']) expect(label(t)).toBe('positive');
    expect(label('Работу сделали не хорошо')).not.toBe('positive');
  });

  it('plain information reads neutral', () => {
    for (const t of ['Автобус 12 ходит с шести утра', 'Собрание жильцов в четверг в 19:00']) expect(label(t)).toBe('neutral');
  });

  it('plain information is neutral with a score near zero; so is a polite question', () => {
    const bus = c.classify('Автобус 12 ходит с шести утра');
    expect(bus.sentiment.label).toBe('neutral');
    expect(Math.abs(bus.sentiment.score)).toBeLessThanOrEqual(0.3);
    expect(label('Добрый день, подскажите пожалуйста, когда почистят дорогу на улице Ленина?')).toBe('neutral');
  });

  it('bracket smileys and emoji of VK-style text and tweets count', () => {
    expect(label('ну вот и дождались(((')).toBe('negative');
    expect(label('Сегодня этот день 😡😡')).toBe('negative');
    expect(label('Сегодня этот день 😍🎉')).toBe('positive');
  });

  it('an intensifier makes a feeling stronger, a negation turns praise around', () => {
    const score = (t: string) => c.classify(t).sentiment.score;
    expect(score('Очень плохо убрали улицу')).toBeLessThan(score('Плохо убрали улицу'));
    expect(label('Новый сквер хороший')).toBe('positive');
    expect(label('Новый сквер не хороший')).not.toBe('positive');
  });

  it('the explanation names the model and the lexicon, with a score in [-1, 1]', () => {
    const r = c.classify('Спасибо дворникам!');
    expect(r.explain.some((l) => l.startsWith('sentiment positive: model'))).toBe(true);
    expect(Math.abs(r.sentiment.score)).toBeLessThanOrEqual(1);
  });
});
