import { describe, expect, it } from 'vitest';
import { signatureSimilarity } from '../../../../src/core/classify/near-duplicates.js';
import { openIncident } from '../../../../src/core/incident/incident.js';
import type { Post } from '../../../../src/core/post.js';
import { loadClassifier } from '../../../../src/roles/rules.js';
import { loadConfig } from '../../../../src/config/config.js';

const classifier = loadClassifier(loadConfig({}));
const ENSK = 'г. Энск';

describe('Classifier with the shipped rules and models', () => {
  it.each([
    ['На улице Ленина огромная яма, машины бьют колёса. Ужас!', 'roads', 'roads.potholes', 'complaint'],
    ['Автобус №12 опять не пришёл, стоим на остановке сорок минут', 'transport', 'transport.schedule', 'complaint'],
    ['Во дворе не горят фонари, темно и страшно', 'lighting', 'lighting.yards', 'complaint'],
    ['Когда будут убирать снег во дворе?', 'snow', 'snow.yards', 'question'],
    ['В доме нет горячей воды третий день, управляющая компания молчит', 'housing', 'housing.water', 'complaint'],
    ['Мусор у контейнеров не вывозят неделю', 'waste', 'waste.collection', 'complaint'],
    ['Лифт не работает вторую неделю, бабушка с пятого этажа не может выйти', 'housing', 'housing.elevators', 'complaint'],
    ['Стая бродячих собак у школы кидается на детей', 'animals', 'animals.stray', 'complaint'],
    ['В поликлинике нет талонов к терапевту на две недели вперёд', 'healthcare', 'healthcare.clinics', 'complaint'],
    ['Почему детский сад на Мира закрыли на карантин без предупреждения?', 'education', 'education.kindergartens', 'question'],
  ])('%s → %s (%s) / %s, an alert', (text, topic, subtopic, type) => {
    const c = classifier.classify(text, { territory: ENSK });
    expect(c.topics[0]?.id).toBe(topic);
    expect(c.subtopic).toBe(subtopic);
    expect(c.type).toBe(type);
    expect(c.alert).toBe(true);
    expect(c.explain.some((e) => e.startsWith(`topic ${subtopic} by rules`))).toBe(true);
  });

  it('snow on roads and snow in yards are different topics (and go to different bodies)', () => {
    expect(classifier.classify('Дорогу на Северный не чистят с утра, машины буксуют в снегу').subtopic).toBe('snow.roads');
    expect(classifier.classify('Во дворе сугробы по колено, машину не выгнать, дворника нет').subtopic).toBe('snow.yards');
    expect(classifier.classify('Тротуары не чистят, люди идут по снегу по проезжей части').topics[0]?.id).toBe('snow');
    expect(classifier.classify('С крыши свисают сосульки над подъездом').subtopic).toBe('snow.roofs');
    // A pothole is a road problem even in winter, when no snow is mentioned.
    expect(classifier.classify('Зимой на Речной яма на яме, колёса летят').topics[0]?.id).toBe('roads');
  });

  it('overlapping vocabulary: the strongest evidence wins and the runner-up is ranked', () => {
    const c = classifier.classify('Из-за прорыва трубы на дороге огромная яма с водой, машины проваливаются');
    expect(c.topics.map((t) => t.id)).toEqual(expect.arrayContaining(['roads', 'housing']));
    expect(c.topics[0]?.score).toBeGreaterThanOrEqual(c.topics[1]?.score ?? 0);
  });

  it('thanks are gratitude, not alerts', () => {
    const c = classifier.classify('Спасибо дорожникам, яму заделали за день!');
    expect(c.type).toBe('gratitude');
    expect(c.sentiment.label).toBe('positive');
    expect(c.alert).toBe(false);
  });

  it('sarcasm: ironic thanks and praise in quotes read as the complaint they are', () => {
    for (const text of ['Спасибо за очередную яму на Ленина, администрация, браво!', 'Отличные «дороги» у нас в Энске, третий диск за год', 'Ну спасибо, управляйка, неделю без горячей воды']) {
      const c = classifier.classify(text);
      expect(c.sarcasm, text).toBe(true);
      expect(c.sentiment.label, text).toBe('negative');
      expect(c.type, text).toBe('complaint');
      expect(c.alert, text).toBe(true);
      expect(c.explain.some((e) => e.startsWith('sarcasm:'))).toBe(true);
    }
    // A quoted organisation name is a name, not irony.
    expect(classifier.classify('Спасибо «Водоканалу», воду дали быстро').sarcasm).toBeUndefined();
  });

  it('a polite question is not praise; a question with thanks in it still is', () => {
    for (const text of ['Здравствуйте! Когда будут убирать снег во дворе бульвар Энтузиастов, 66?', 'Добрый день, подскажите пожалуйста, когда почистят дорогу на улице Ленина?']) {
      const c = classifier.classify(text);
      expect(c.sentiment.label, text).not.toBe('positive');
      expect(c.type, text).toBe('question');
      expect(c.alert, text).toBe(true);
    }
    expect(classifier.classify('Спасибо за новую площадку, дети счастливы! А скамейки тоже поставят?').sentiment.label).toBe('positive');
  });

  it('negation: "не работает" complains, "не плохо" does not', () => {
    // A bare factual fault is labelled neutral in the project's real-register reports (its tone is
    // flat; the problem detector, not sentiment, makes it an alert): it is read as "not working"
    // (the negated stem), filed as a complaint, never positive; with a feeling word it is negative.
    const bare = classifier.classify('Светофор на перекрёстке не работает');
    expect(bare.sentiment.label).not.toBe('positive');
    expect(bare.type).toBe('complaint');
    expect(bare.alert).toBe(true);
    expect(bare.explain.join(' ')).toContain('n:работа');
    expect(classifier.classify('Светофор на перекрёстке опять не работает, безобразие!').sentiment.label).toBe('negative');
    expect(classifier.classify('Лифт не хорошо работает').sentiment.label).toBe('negative');
    expect(classifier.classify('Дорогу сделали неплохо, не плохо совсем').sentiment.label).not.toBe('negative');
  });

  it('ads and chatter are not alerts, with the reason', () => {
    const ad = classifier.classify('Скидки до 50% на зимнюю резину! Доставка бесплатно, звоните.');
    expect(ad).toMatchObject({ spam: true, alert: false });
    expect(ad.noise?.[0]).toMatch(/^ads: /);
    expect(classifier.classify('Всем доброе утро! Хорошего дня')).toMatchObject({ alert: false, topics: [{ id: 'other' }] });
    expect(classifier.classify('+')).toMatchObject({ spam: true, alert: false, noise: ['no words'] });
    expect(classifier.classify('Ок, понял')).toMatchObject({ spam: true, alert: false, noise: ['too short: 2 words < 3'] });
  });

  it('"дорогой" (dear) does not make a post about roads', () => {
    expect(classifier.classify('Дорогой друг, с днём рождения!').topics[0]?.id).toBe('other');
  });

  it('urgent words and life-safety topics raise the priority of an alert', () => {
    expect(classifier.classify('Срочно! Прорыв трубы, вода заливает подвал, аварийная не едет').priority).toBe('high');
    const gas = classifier.classify('В подъезде сильно пахнет газом, газовая служба не едет');
    expect(gas.subtopic).toBe('housing.gas');
    expect(gas.priority).toBe('high');
    expect(classifier.classify('Во дворе сломали скамейку, неприятно').priority).toBe('normal');
  });

  it('territory: the source by default, a district or another place named in the text', () => {
    expect(classifier.classify('Яма у дома, когда заделают?', { territory: ENSK }).territory).toBe(ENSK);
    expect(classifier.classify('На Садовой яма у дома 5', { territory: ENSK }).territory).toBe('г. Энск, Северный район');
    expect(classifier.classify('В Берёзовке третий день нет воды', { territory: ENSK }).territory).toBe('Энский район, с. Берёзовка');
    // Streets count only inside the source's territory: every city has its улица Ленина.
    expect(classifier.classify('Яма на улице Ленина', { territory: 'г. Заводск' }).territory).toBe('г. Заводск');
    expect(classifier.classify('Яма на улице Ленина', {}).territory).toBeDefined();
  });

  it('the alert decision follows rules/alerts.json: a positive review in a topic is not an alert', () => {
    const c = classifier.classify('Новый сквер очень красивый и уютный, гуляем каждый вечер');
    expect(c.topics[0]?.id).toBe('landscaping');
    expect(c.alert).toBe(false);
    expect(c.explain.some((e) => e.startsWith('no alert: no problem reported'))).toBe(true);
  });

  it('a fingerprint for near-duplicates, the same for a copy with a hashtag and a link', () => {
    const a = classifier.classify('Во дворе дома 5 по Садовой третью неделю не вывозят мусор, контейнеры переполнены, крысы бегают');
    const b = classifier.classify('#Энск Во дворе дома 5 по Садовой третью неделю не вывозят мусор, контейнеры переполнены, крысы бегают https://vk.com/wall-1_2');
    expect(a.fingerprint).toBeDefined();
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(classifier.classify('Яма!').fingerprint).toBeUndefined();
  });

  it('the same words about another house are another problem: house numbers veto a copy', () => {
    const at = (n: string) => classifier.classify(`Здравствуйте! Когда будут убирать снег во дворе бульвар Энтузиастов, ${n}? Третий день не могу выехать`).fingerprint as string;
    expect(at('66')).toMatch(/@66$/);
    expect(signatureSimilarity(at('66'), at('66'))).toBe(1);
    expect(signatureSimilarity(at('66'), at('33'))).toBe(0);
    // Without the veto these would be one complaint (the engine's default bar is 0.6).
    expect(signatureSimilarity(at('66').split('@')[0] as string, at('33').split('@')[0] as string)).toBeGreaterThanOrEqual(0.6);
  });

  it('never throws on hostile text', () => {
    for (const text of ['', '🙂🙂🙂', 'https://vk.com/x', '\ud800 broken surrogate', 'я'.repeat(100_000), 'Ям\u200bа на дороге', 'Яма '.repeat(30_000), 'Mixed кириллица and latin, яма on the road', '«»""«', '^*=']) {
      expect(() => classifier.classify(text, { territory: ENSK })).not.toThrow();
    }
    expect(classifier.classify('').explain).toContain('no words');
    expect(classifier.classify('🙂🙂🙂')).toMatchObject({ language: 'und', topics: [{ id: 'other' }], alert: false });
  });
});

describe('a street in two towns', () => {
  const classifier = loadClassifier(loadConfig({}));
  it('is left ambiguous with both candidates when nothing says which, and the incident keeps them for the moderator', () => {
    const c = classifier.classify('Огромная яма на улице Ленина у дома 7, не проехать');
    expect(c.territoryCandidates).toEqual(['г. Энск, Центральный район', 'г. Заводск']);
    expect(c.explain.some((e) => /is a street in г\. Энск, Центральный район and in г\. Заводск/.test(e))).toBe(true);
    const inc = openIncident({ id: 'vk:-1_7', platform: 'vk', kind: 'post', sourceId: 's', text: 'Огромная яма на улице Ленина у дома 7', createdAt: '2026-01-01T00:00:00.000Z', capturedAt: '2026-01-01T00:00:00.000Z' } as Post, c, { bodyId: 'cur-moderators', reason: 'x' }, new Date('2026-01-01T00:00:00Z'));
    expect(inc.territoryCandidates).toEqual(c.territoryCandidates);
    // The source's town settles it.
    expect(classifier.classify('Огромная яма на улице Ленина у дома 7', { territory: 'г. Заводск' })).toMatchObject({ territory: 'г. Заводск' });
    expect(classifier.classify('Огромная яма на улице Ленина у дома 7', { territory: 'г. Заводск' }).territoryCandidates).toBeUndefined();
  });
});
