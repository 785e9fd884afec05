import { describe, expect, it } from 'vitest';
import { forKnownBodies, presetProblems, presetsSchema, templatesFor, type Presets } from '../../../../src/core/moderation/presets.js';

const presets: Presets = {
  rejectReasons: ['реклама', 'дубль'],
  answerTemplates: [
    { id: 'taken', title: 'Принято', kind: 'interim', text: 'Передано: {исполнитель}, ответим до {срок}.' },
    { id: 'roads', title: 'Ремонт', kind: 'final', text: 'Яму заделают.', bodies: ['city-roads'] },
    { id: 'both', title: 'Двое', kind: 'final', text: 'Сделано.', bodies: ['city-roads', 'ghost'] },
  ],
};

describe('presets: reject reasons and answer templates', () => {
  it("a body sees everyone's templates and its own, not another body's", () => {
    expect(templatesFor(presets, 'city-roads').map((t) => t.id)).toEqual(['taken', 'roads', 'both']);
    expect(templatesFor(presets, 'city-housing').map((t) => t.id)).toEqual(['taken']);
    expect(templatesFor(presets, undefined).map((t) => t.id)).toEqual(['taken']);
  });

  it('names templates for unknown bodies (the API refuses them) and leaves them out of a file (start-up goes on)', () => {
    const known = (id: string) => id === 'city-roads';
    expect(presetProblems(presets, known)).toEqual(['answerTemplates.2.bodies.1: unknown body "ghost"']);
    const { presets: kept, dropped } = forKnownBodies(presets, known);
    expect(kept.answerTemplates.find((t) => t.id === 'both')?.bodies).toEqual(['city-roads']);
    expect(dropped).toEqual(['both: ghost']);
  });

  it('refuses duplicate template ids, short reasons and unknown kinds', () => {
    expect(presetsSchema.safeParse(presets).success).toBe(true);
    expect(presetsSchema.safeParse({ ...presets, answerTemplates: [...presets.answerTemplates, { ...presets.answerTemplates[0] }] }).success).toBe(false);
    expect(presetsSchema.safeParse({ ...presets, rejectReasons: ['ок'] }).success).toBe(false);
    expect(presetsSchema.safeParse({ ...presets, answerTemplates: [{ id: 'x', title: 'X', kind: 'draft', text: 't' }] }).success).toBe(false);
  });
});
