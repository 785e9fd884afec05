import { describe, expect, it } from 'vitest';
import { TopicRules, taxonomySchema, REQUIRED_GROUPS } from '../../../../src/core/classify/taxonomy.js';
import { withStems } from '../../../../src/core/classify/terms.js';
import { normalizeText, tokenize } from '../../../../src/core/classify/text.js';
import { loadJsonRules } from '../../../../src/adapters/files/json-rules.js';
import { resolveProjectPath } from '../../../../src/paths.js';

const text = (s: string) => withStems(tokenize(normalizeText(s)));
const rules = new TopicRules(
  taxonomySchema.parse({
    version: 2,
    groups: [
      {
        id: 'roads',
        name: 'Дороги',
        terms: ['дорога'],
        exclude: ['=дорогой', '=дорого'],
        topics: [
          { id: 'potholes', name: 'Ямы', terms: ['яма^2', 'выбоин*^2'] },
          { id: 'traffic', name: 'Светофоры', terms: ['светофор*^2'], veto: ['светофор на елке'] },
        ],
      },
      {
        id: 'snow',
        name: 'Снег',
        terms: ['снег^2', 'сугроб*^2'],
        topics: [
          { id: 'roads', name: 'На дорогах', context: ['дорога'] },
          { id: 'yards', name: 'Во дворах', context: ['двор'] },
        ],
      },
      {
        id: 'landscaping',
        name: 'Благоустройство',
        topics: [{ id: 'playgrounds', name: 'Детские площадки', terms: ['качел*^2'], places: ['детск* площадк*^3'] }],
      },
      { id: 'animals', name: 'Животные', terms: ['собак*^2'] },
    ],
  }),
);

describe('TopicRules', () => {
  it('scores groups by weights and names the best topic of the group', () => {
    const [best] = rules.score(text('На дороге яма, вторая выбоина'));
    expect(best).toMatchObject({ group: 'roads', score: 5, subtopic: 'roads.potholes' });
    expect(best?.evidence[0]).toMatch(/"яма" ~ яма\^2/);
  });

  it('context words choose the topic without making the group', () => {
    expect(rules.score(text('Снег на дороге не убран'))[0]).toMatchObject({ group: 'snow', subtopic: 'snow.roads' });
    expect(rules.score(text('Во дворе сугробы'))[0]).toMatchObject({ group: 'snow', subtopic: 'snow.yards' });
    expect(rules.score(text('Во дворе тихо')).length).toBe(0);
  });

  it('exclusions take their words out; a veto takes the topic out', () => {
    expect(rules.score(text('Дорогой мэр, дорого нам всё это'))).toEqual([]);
    expect(rules.score(text('Светофор на ёлке горит'))).toEqual([]);
  });

  it('a place counts in full only when no other group names a problem, or its own group does', () => {
    // Dogs on a playground are an animals post; the playground is where, at a quarter of its weight.
    const [dogs, where] = rules.score(text('Собаки на детской площадке'));
    expect(dogs).toMatchObject({ group: 'animals', score: 2 });
    expect(where).toMatchObject({ group: 'landscaping', score: 0.75 });
    expect(where?.evidence[0]).toContain('(place, ×0.25)');
    // Alone, or beside its own group's problem word, the place counts in full.
    expect(rules.score(text('Когда отремонтируют детскую площадку?'))[0]).toMatchObject({ group: 'landscaping', score: 3, subtopic: 'landscaping.playgrounds' });
    expect(rules.score(text('Собака сломала качели на детской площадке'))[0]).toMatchObject({ group: 'landscaping', score: 5 });
  });

  it('a word counts once per group however many of its terms match, and a repeated term at most twice', () => {
    expect(rules.score(text('яма яма яма яма'))[0]?.score).toBe(4);
  });

  it('the shipped taxonomy covers the top-level ids control centers file under', () => {
    const shipped = new TopicRules(loadJsonRules(resolveProjectPath('rules/topics.json'), taxonomySchema));
    for (const id of REQUIRED_GROUPS) expect(shipped.groupIds).toContain(id);
    expect(shipped.allIds()).toContain('snow.yards');
  });
});
