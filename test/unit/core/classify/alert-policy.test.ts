import { describe, expect, it } from 'vitest';
import { AlertPolicy, alertPolicySchema, type AlertInput } from '../../../../src/core/classify/alert-policy.js';
import { withStems } from '../../../../src/core/classify/terms.js';
import { normalizeText, tokenize } from '../../../../src/core/classify/text.js';

const policy = new AlertPolicy(
  alertPolicySchema.parse({
    version: 1,
    actionable: { types: ['complaint', 'question'], sentiments: ['negative'] },
    topics: ['roads', 'housing.gas'],
    ignoreTopics: ['roads.parking'],
    territories: ['Энск'],
    languages: ['rus'],
    noise: { ads: ['скидк*', 'звоните'], adsWithTopic: 2, minWords: 3, maxLinks: 1 },
    priority: { high: [{ name: 'gas', topics: ['housing.gas'] }, { name: 'urgent', urgent: true, types: ['complaint'] }] },
  }),
  (inner, outer) => inner === outer || inner.startsWith(`${outer}, `),
);
const input = (text: string, over: Partial<AlertInput> = {}): AlertInput => ({
  text: withStems(tokenize(normalizeText(text))),
  links: 0,
  language: 'rus',
  topic: 'roads',
  subtopic: 'roads.potholes',
  territory: 'Энск, Север',
  type: 'complaint',
  sentiment: { label: 'negative', score: -0.6 },
  urgent: false,
  problem: false,
  ...over,
});

const byProblem = new AlertPolicy(
  alertPolicySchema.parse({
    version: 1,
    actionable: { problem: true, problemMin: 0.5, types: [], sentiments: [] },
    topics: ['*'],
    territories: ['*'],
    languages: ['rus'],
    noise: { ads: ['скидк*'], adsWithTopic: 2, minWords: 3, maxLinks: 1 },
    priority: { high: [] },
  }),
  () => true,
);

describe('AlertPolicy', () => {
  it('with `problem`, the problem verdict drives the alert, not tone or type', () => {
    // A neutral, factual report is the commonest real complaint.
    expect(byProblem.decide(input('Отсутствует освещение у дома 7', { type: 'other', sentiment: { label: 'neutral', score: 0 }, problem: true })).alert).toBe(true);
    // A negative post that reports nothing ("Ненавижу эти пробки") is not.
    const venting = byProblem.decide(input('Ненавижу эти пробки', { problem: false }));
    expect(venting.alert).toBe(false);
    expect(venting.explain[0]).toMatch(/no problem reported/);
    // Two words are a whole report when they name a fault: shortness is noise only without one.
    expect(byProblem.decide(input('Треснут люк', { problem: true }))).toMatchObject({ alert: true, spam: false });
    expect(byProblem.decide(input('Треснут люк', { problem: false })).noise).toEqual(['too short: 2 words < 3']);
    expect(byProblem.problemThreshold).toBe(0.5);
  });

  it("a source's every-post policy makes a post actionable with or without a topic; noise still counts", () => {
    const quiet = input('Прошу сообщить график работы приёмной', { type: 'question', sentiment: { label: 'neutral', score: 0 }, topic: 'other', problem: false });
    expect(byProblem.decide(quiet).alert).toBe(false);
    expect(byProblem.decide({ ...quiet, everyPost: true })).toMatchObject({ alert: true, explain: [expect.stringContaining('every post is an appeal')] });
    expect(byProblem.decide(input('Скидки скидки звоните', { everyPost: true, topic: 'other', ads: { terms: ['скидк*', 'звоните'], weight: 2 } })).alert).toBe(false);
  });

  it('an actionable post in a monitored topic and territory is an alert', () => {
    expect(policy.decide(input('Яма на дороге у дома'))).toMatchObject({ alert: true, spam: false, priority: 'normal' });
  });

  it('says why a post is not an alert', () => {
    expect(policy.decide(input('Яма на дороге у дома', { type: 'review', sentiment: { label: 'positive', score: 0.5 } })).explain[0]).toMatch(/not actionable/);
    expect(policy.decide(input('Машины стоят на газоне', { subtopic: 'roads.parking' })).explain[0]).toMatch(/topic roads.parking not monitored/);
    expect(policy.decide(input('Нет воды в доме', { topic: 'housing', subtopic: 'housing.water' })).explain[0]).toMatch(/topic housing.water not monitored/);
    expect(policy.decide(input('Яма на дороге у дома', { territory: 'Заводск' })).explain[0]).toMatch(/territory Заводск not monitored/);
    expect(policy.decide(input('Яма на дороге у дома', { language: 'ukr' })).explain[0]).toMatch(/language ukr not monitored/);
  });

  it("ad cues count their weight: a seller's verb is an ad by itself, two light terms are not", () => {
    const weighted = new AlertPolicy(
      alertPolicySchema.parse({
        version: 1,
        actionable: { problem: true, types: [], sentiments: [] },
        topics: ['*'],
        territories: ['*'],
        languages: ['rus'],
        noise: { ads: ['=продам^2', 'бесплатн*^0.5', 'купить*^0.5', 'звоните'], adsWithTopic: 2, minWords: 3, maxLinks: 1 },
        priority: { high: [] },
      }),
      () => true,
    );
    expect(weighted.adCues(input('Продам гараж, звоните').text)).toEqual({ terms: ['=продам^2', 'звоните'], weight: 3 });
    expect(weighted.decide(input('Продам гараж у дороги, яма сухая', { problem: true }))).toMatchObject({ alert: false, noise: ['ads: =продам^2'] });
    // "Бесплатно" and "купить" are words of residents' complaints too: together they are not an ad.
    expect(weighted.decide(input('Лекарства должны выдавать бесплатно, а приходится купить самим', { problem: true })).alert).toBe(true);
    expect(weighted.decide(input('Лекарства бесплатно, звоните', { problem: true })).alert).toBe(true);
  });

  it('filters noise with reasons: ads, too short, link dumps', () => {
    expect(policy.decide(input('Скидки на ремонт дороги, звоните'))).toMatchObject({ alert: false, spam: true, noise: ['ads: скидк*, звоните'] });
    expect(policy.decide(input('Яма тут'))).toMatchObject({ alert: false, noise: ['too short: 2 words < 3'] });
    expect(policy.decide(input('Смотрите яма тут и тут', { links: 4 })).noise).toEqual(['link dump: 4 links > 1']);
    // One ad word in a real complaint is not an ad.
    expect(policy.decide(input('Звоните в дорожную службу, яма огромная')).alert).toBe(true);
  });

  it('priority rules name why an alert is high', () => {
    expect(policy.decide(input('Пахнет газом в подъезде', { topic: 'housing', subtopic: 'housing.gas' }))).toMatchObject({ priority: 'high', explain: [expect.any(String), 'priority high: gas'] });
    expect(policy.decide(input('Срочно, провал на дороге', { urgent: true })).priority).toBe('high');
    expect(policy.decide(input('Срочно ли заделают яму на дороге', { urgent: true, type: 'question' })).priority).toBe('normal');
  });
});
