import { describe, expect, it } from 'vitest';
import { bandKeys, BANDS, fingerprint, minhashSignature, signatureSimilarity } from '../../../../src/core/classify/near-duplicates.js';
import { withStems } from '../../../../src/core/classify/terms.js';
import { normalizeText, tokenize } from '../../../../src/core/classify/text.js';

const sig = (s: string) => minhashSignature(withStems(tokenize(normalizeText(s))).stems);
const original = 'Во дворе дома 5 по Садовой третью неделю не вывозят мусор, контейнеры переполнены, крысы бегают по детской площадке';

describe('near-duplicate fingerprints', () => {
  it('a copy with other word forms, a hashtag and a link is near-identical', () => {
    const a = sig(original) as string;
    const b = sig('#Энск Репост! Во дворах дома 5 по Садовой третью неделю не вывозят мусор, контейнер переполнен, крысы бегают по детской площадке https://vk.com/wall-1_2') as string;
    expect(signatureSimilarity(a, b)).toBeGreaterThanOrEqual(0.6);
    expect(bandKeys(a).filter((k) => bandKeys(b).includes(k)).length).toBeGreaterThan(0);
  });

  it('a different complaint on the same topic is not', () => {
    const a = sig(original) as string;
    const c = sig('На Речной не вывозят мусор уже месяц, контейнерную площадку завалили пакетами, запах на весь квартал') as string;
    expect(signatureSimilarity(a, c)).toBeLessThan(0.3);
  });

  it('identical texts have identical signatures and keys; short texts have none', () => {
    expect(sig(original)).toBe(sig(original));
    expect(bandKeys(sig(original) as string)).toHaveLength(BANDS);
    expect(sig('Яма на дороге')).toBeUndefined();
    expect(signatureSimilarity('ab', 'ab')).toBe(0);
  });

  it('house numbers ride along: disagreeing ones veto a copy, a missing one does not', () => {
    const stems = withStems(tokenize(normalizeText(original))).stems;
    const sig = minhashSignature(stems) as string;
    expect(fingerprint(stems)).toBe(sig);
    expect(fingerprint(stems, ['5'])).toBe(`${sig}@5`);
    expect(bandKeys(`${sig}@5`)).toEqual(bandKeys(sig));
    expect(signatureSimilarity(`${sig}@5`, `${sig}@5,7`)).toBe(1);
    expect(signatureSimilarity(`${sig}@5`, sig)).toBe(1);
    expect(signatureSimilarity(`${sig}@5`, `${sig}@7`)).toBe(0);
    expect(fingerprint(['яма'], ['5'])).toBeUndefined();
  });

  it('similarity is the share of equal 8-digit positions, a digit anywhere in one making it differ', () => {
    const sig = minhashSignature(withStems(tokenize(normalizeText(original))).stems) as string;
    const flip = (c: string) => (c === '0' ? '1' : '0');
    // 12 of the 48 positions changed, each in a different digit (the first, the last, one between).
    const changed = [...sig];
    for (let k = 0; k < 12; k++) {
      const at = k * 4 * 8 + (k % 8);
      changed[at] = flip(changed[at] as string);
    }
    expect(signatureSimilarity(sig, changed.join(''))).toBe(36 / 48);
    expect(signatureSimilarity(`${sig}@5`, `${changed.join('')}@5`)).toBe(36 / 48);
  });
});
