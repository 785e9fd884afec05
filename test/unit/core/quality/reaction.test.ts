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
    expect(satisfaction([{ verdict: 'satisfied' }, { verdict: 'unsatisfied' }, { verdict: 'unsatisfied' }, { verdict: 'neutral' }])).toEqual({ satisfied: 1, unsatisfied: 2, score: 0.33, author: null, verdict: 'unsatisfied' });
    expect(satisfaction([])).toEqual({ satisfied: 0, unsatisfied: 0, score: null, author: null, verdict: null });
    expect(satisfaction([{ verdict: 'satisfied' }, { verdict: 'unsatisfied' }]).verdict).toBeNull();
  });

  it("the author's own last word decides the incident's verdict over the neighbours'", () => {
    const thread = [
      { verdict: 'unsatisfied' as const, byAuthor: true },
      { verdict: 'satisfied' as const, byAuthor: false },
      { verdict: 'satisfied' as const },
      { verdict: 'satisfied' as const, byAuthor: true },
      { verdict: 'neutral' as const, byAuthor: true },
    ];
    expect(satisfaction(thread)).toMatchObject({ satisfied: 3, unsatisfied: 1, author: 'satisfied', verdict: 'satisfied' });
    // Others pleased, the author not: the author's problem is not solved.
    expect(satisfaction([{ verdict: 'satisfied' }, { verdict: 'satisfied' }, { verdict: 'unsatisfied', byAuthor: true }])).toMatchObject({ author: 'unsatisfied', verdict: 'unsatisfied' });
  });
});
