import { describe, expect, it } from 'vitest';
import { judgeReaction, satisfaction } from '../../../../src/core/quality/reaction.js';

// Replies written for this test in the register of comments under an official answer.
describe("residents' reaction to an answer", () => {
  it('«так ничего и не сделали» is unsatisfied, «спасибо, убрали» satisfied, a question neutral', () => {
    expect(judgeReaction('Так ничего и не сделали, яма на месте')).toMatchObject({ verdict: 'unsatisfied', cues: expect.arrayContaining(['не сделали']) });
    expect(judgeReaction('Спасибо, убрали! Теперь чисто')).toMatchObject({ verdict: 'satisfied', cues: ['спасибо', 'убрали'] });
    expect(judgeReaction('А когда приедут?').verdict).toBe('neutral');
    // «не убрали» is not «убрали».
    expect(judgeReaction('Мусор не убрали').verdict).toBe('unsatisfied');
    expect(judgeReaction('До сих пор темно, спасибо за отписку').verdict).toBe('unsatisfied');
  });

  it('satisfaction is the share of satisfied among those who judged', () => {
    expect(satisfaction([{ verdict: 'satisfied' }, { verdict: 'unsatisfied' }, { verdict: 'unsatisfied' }, { verdict: 'neutral' }])).toEqual({ satisfied: 1, unsatisfied: 2, score: 0.33 });
    expect(satisfaction([])).toEqual({ satisfied: 0, unsatisfied: 0, score: null });
  });
});
