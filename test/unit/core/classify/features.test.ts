import { describe, expect, it } from 'vitest';
import { featureName, splitFeatureName, textFeatures, topicFeatures } from '../../../../src/core/classify/features.js';

describe('textFeatures', () => {
  it('carries negation onto the next stem and marks smileys, ! and ?', () => {
    const f = textFeatures('Лифт не работает!!! Когда починят? ((');
    expect(f).toEqual(expect.arrayContaining(['w:лифт', 'n:работа', 'm:excl', 'm:question', 'm:frown']));
    expect(f).not.toContain('w:работа');
  });

  it('leaves greetings and courtesy out: they address the authorities, they do not feel', () => {
    const f = textFeatures('Здравствуйте! Добрый день, уважаемая администрация, уберите пожалуйста снег');
    expect(f.filter((x) => /здравств|добр|уважа|пожалуйст/.test(x))).toEqual([]);
    expect(f).toEqual(expect.arrayContaining(['w:администрац', 'w:убер', 'b:убер_снег']));
    // "добрый" that is not a greeting stays: it is praise.
    expect(textFeatures('Добрые люди помогли')).toContain('w:добр');
  });
});

describe('topicFeatures', () => {
  it('content stems and the first letters of long words, without function words and numbers', () => {
    const f = topicFeatures('Опять не вывозят мусор у дома 5');
    expect(f).toEqual(expect.arrayContaining(['w:вывоз', 'w:мусор', 'p:вывоз']));
    expect(f.some((x) => x.includes('опят') || x.includes('5') || x.startsWith('b:'))).toBe(false);
    // A misspelt ending keeps its first letters: "тратуара" and "тратуар" meet on "p:трату".
    expect(topicFeatures('нет тратуара')).toContain('p:трату');
  });
});

describe('feature names', () => {
  it('split back into the kind and parts they were made of; a name of no known kind is none', () => {
    for (const name of [...textFeatures('Лифт не работает, пол-дома без воды!!! ((('), ...topicFeatures('Мусор у дома не вывозят')]) {
      const parts = splitFeatureName(name);
      expect(parts).toBeDefined();
      if (parts) expect(featureName(...parts)).toBe(name);
    }
    expect(splitFeatureName('b:не_работа')).toEqual(['b', 'не', 'работа']);
    expect(splitFeatureName('x:что-то')).toBeUndefined();
    expect(splitFeatureName('w')).toBeUndefined();
  });
});
