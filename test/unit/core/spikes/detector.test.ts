import { describe, expect, it } from 'vitest';
import { DEFAULT_SPIKE_OPTIONS, judgeHour, poissonTail, risingWords } from '../../../../src/core/spikes/detector.js';

/** A seeded generator, so the synthetic series are the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
function poisson(lambda: number, r: () => number): number {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= r();
  } while (p > l);
  return k - 1;
}
/** A day's rhythm: quiet nights, a morning and an evening peak (posts per hour at level 1). */
const rhythm = (h: number) => 0.2 + 0.8 * Math.exp(-((h - 9) ** 2) / 8) + Math.exp(-((h - 20) ** 2) / 6);

describe('spike detection', () => {
  it('the Poisson tail is right where it can be checked by hand', () => {
    expect(poissonTail(0, 3)).toBe(1);
    expect(poissonTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 10);
    expect(poissonTail(3, 1)).toBeCloseTo(1 - Math.exp(-1) * (1 + 1 + 0.5), 10);
  });

  it('on synthetic series with known surges: found within the hour, few false alarms a week (the README quotes these)', () => {
    const weeks = 8;
    const hours = weeks * 7 * 24;
    let alarms = 0;
    let ordinaryHours = 0;
    let surges = 0;
    let found = 0;
    let delays = 0;
    for (let series = 0; series < 40; series++) {
      const r = rng(1000 + series);
      const level = [0.5, 1, 2, 4][series % 4] as number;
      const values: number[] = [];
      // A surge of 6 hours at 4× plus 4 posts an hour, once a week after the first two (baseline) weeks.
      const surgeAt = new Set<number>();
      for (let w = 2; w < weeks; w++) surgeAt.add(w * 168 + 24 * ((series + w) % 7) + 10);
      let inSurge = -1;
      let alarmed = -1;
      for (let t = 0; t < hours; t++) {
        if (surgeAt.has(t)) inSurge = t;
        const surging = inSurge >= 0 && t - inSurge < 6;
        const lambda = level * rhythm(t % 24) * (surging ? 4 : 1) + (surging ? 4 : 0);
        values.push(poisson(lambda, r));
        if (t < 14 * 24) continue;
        const v = judgeHour(values, DEFAULT_SPIKE_OPTIONS);
        if (surging) {
          if (t === inSurge) surges++;
          if (v.spike && alarmed !== inSurge) {
            // The first alarm of this surge: how many hours after it began.
            found++;
            delays += t - inSurge;
            alarmed = inSurge;
          }
        } else {
          ordinaryHours++;
          if (v.spike) alarms++;
        }
      }
    }
    const perWeek = alarms / (ordinaryHours / 168);
    process.stdout.write(`spikes on 40 synthetic series × 8 weeks: ${found}/${surges} surges found, mean delay ${(delays / Math.max(1, found)).toFixed(2)} h, false alarms ${perWeek.toFixed(3)} per series-week\n`);
    expect(found / surges).toBeGreaterThanOrEqual(0.9);
    expect(delays / found).toBeLessThanOrEqual(1);
    expect(perWeek).toBeLessThanOrEqual(0.1);
  });

  it('judges nothing until the series has enough days of its own history (a new install, an archive\'s first days)', () => {
    // One post an hour, then 8 in the last: a surge by any baseline, but on a day-and-a-half of data
    // the baseline is a guess; from three days of history on, it is judged.
    const days = (n: number) => [...Array.from({ length: n * 24 }, () => 1), 8];
    expect(judgeHour(days(1)).spike).toBe(false);
    expect(judgeHour(days(2)).spike).toBe(false);
    expect(judgeHour(days(3)).spike).toBe(true);
    expect(judgeHour(days(2), { ...DEFAULT_SPIKE_OPTIONS, minHistoryDays: 1 }).spike).toBe(true);
  });

  it('says what rose: the words of the surge, not the everyday ones', () => {
    const before = [['вода', 'дом'], ['двор', 'дом'], ['свет', 'дом'], ['яма', 'дом']];
    const now = [['запах', 'газа', 'дом'], ['запах', 'газа', 'подъезд'], ['газа', 'дом', 'запах']];
    expect(risingWords(now, before).map((w) => w.word)).toEqual(['запах', 'газа']);
  });
});
