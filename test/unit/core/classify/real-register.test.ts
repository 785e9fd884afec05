import { describe, expect, it } from 'vitest';
import { loadClassifier } from '../../../../src/roles/rules.js';
import { loadConfig } from '../../../../src/config/config.js';
import { analyzePosts, parentsOutside } from '../../../../src/pipeline/analyze.stage.js';
import type { Post } from '../../../../src/core/post.js';

// Each case pins a failure measured on real residents' posts (issue: "Classification that holds up
// on real citizens' posts"). The texts are written for these tests in the same register — short,
// formal or telegraphic, neutral, with addresses — and are not copied from any real set.
const c = loadClassifier(loadConfig({}));

describe('neutral, factual reports are complaints and alerts, whatever their tone', () => {
  for (const [text, topic] of [
    ['Отсутствует освещение во дворе дома 14 по ул. Заречной.', 'lighting'],
    ['Брошенный разобранный автомобиль у дома 3 стоит второй месяц', 'roads'],
    ['Во дворе требуется ремонт покрытия', 'roads'],
    ['Разрушена отмостка дома 8, фотофиксация 12.03.2023', 'housing'],
    ['Нескошенная трава вдоль забора детского сада', 'landscaping'],
    ['Мусорные баки у дома 17 переполнены', 'waste'],
  ] as const) {
    it(`${text} → ${topic}, a complaint and an alert`, () => {
      const r = c.classify(text);
      expect(r.topics[0]?.id).toBe(topic);
      expect(r.problem?.reported).toBe(true);
      expect(r.type).toBe('complaint');
      expect(r.alert).toBe(true);
      // The tone stays what it is: reporting is what makes it actionable.
      expect(r.sentiment.label).not.toBe('positive');
    });
  }

  it('two telegraphic words are a whole report when they name a fault', () => {
    for (const text of ['Треснута крышка люка', 'Засохшая береза', 'Прорыв водопровода', 'Погнут дорожный знак']) expect(c.classify(text), text).toMatchObject({ alert: true, spam: false });
  });

  it('a misspelt thing next to a fault keeps its topic, and the explanation says what was read', () => {
    for (const [text, topic] of [
      ['Второй день не работает светафор на Садовой', 'roads'],
      ['Отсутствие тратуара вдоль улицы Полевой', 'roads'],
      ['Разбит фанарь у дома 5', 'lighting'],
    ] as const) {
      const r = c.classify(text);
      expect(r.topics[0]?.id, text).toBe(topic);
      expect(r.alert, text).toBe(true);
      expect(r.explain.some((e) => e.startsWith('typo mended:')), text).toBe(true);
    }
    // Without a fault nothing is mended: a word that merely looks like a rule word gives no topic.
    expect(c.classify('Мой сфетофор сегодня горит зеленым для тебя').explain.some((e) => e.startsWith('typo mended:'))).toBe(false);
  });

  it('a correctly spelt word one letter from a topic word is not "mended" into it', () => {
    // "провели" / "просели" (roads), "кошмарная" / "комар" (pests), "поданное" / "подрались" (crime):
    // mended, each of these gave an ordinary sentence a topic and an alert.
    for (const text of [
      'Почему они так и не провели обещанные выборы, непонятно',
      'Кошмарная неделя, ничего не успеваю и все валится из рук',
      'Прошу не рассматривать поданное мной ранее сообщение',
    ]) {
      const r = c.classify(text);
      expect(r.explain.some((e) => e.startsWith('typo mended:')), text).toBe(false);
      expect(r.alert, text).toBe(false);
    }
  });

  it('a thing said to work as it should is a statement, not a report; "не работает", "не всегда ходит", "работает, но…" still are', () => {
    for (const text of ['Светофор у поликлиники снова работает', 'Маршрутка 41 ходит по расписанию', 'Освещение в сквере на Полевой исправно функционирует']) {
      const r = c.classify(text);
      expect(r.problem?.reported, text).toBe(false);
      expect(r.alert, text).toBe(false);
      expect(['other', 'review'], text).toContain(r.type);
    }
    for (const text of ['Светофор у поликлиники не работает', 'Светофор у поликлиники работает с перебоями, водители путаются', 'Фонарь у дома 3 работает, а второй разбит', 'Светофор у поликлиники плохо работает, подолгу горит красный', 'Когда светофор у поликлиники работает, а когда нет?', 'Маршрутка 41 не всегда ходит по расписанию']) {
      expect(c.classify(text).alert, text).toBe(true);
    }
  });

  it('a notice of planned works is no report; a resident who complains about the outage still is', () => {
    for (const text of [
      'Уважаемые жители! 4 августа с 9:00 до 18:00 будет отключена холодная вода по ул. Строителей 3–11. Приносим извинения за доставленные неудобства.',
      'С понедельника будет перекрыт проезд по ул. Заводской у моста: ремонт покрытия, объезд по ул. Речной.',
    ]) {
      const r = c.classify(text);
      expect(r.problem?.reported, text).toBe(false);
      expect(r.alert, text).toBe(false);
      expect(r.type, text).toBe('other');
    }
    for (const text of ['Опять плановое отключение воды на Строителей, третью неделю без воды, сколько можно?', 'Нет холодной воды в доме 3 по Строителей, сказали плановые работы, но срок прошёл вчера']) {
      expect(c.classify(text).alert, text).toBe(true);
    }
  });

  it('words that only look like a topic word are not it: the verb "смог", a surname, a verb "стаю", a snowman, a pet of one’s own', () => {
    for (const text of ['Не смог вчера дозвониться до брата, волнуюсь', 'Медведев опять выступил с речью по телевизору', 'Каждую осень я стаю грустной и сонной']) {
      expect(c.classify(text).topics[0]?.id, text).toBe('other');
    }
    // A snowman, snowballs, one's own cat: snow and animals words that name no one's problem.
    for (const text of ['Дети весь вечер лепили снеговика и играли в снежки', 'Моя кошка опять уронила ёлку, игрушки вдребезги']) {
      expect(c.classify(text).topics[0]?.id, text).toBe('other');
    }
    expect(c.classify('Во дворе дома 8 не убран снег, сугробы по колено').topics[0]?.id).toBe('snow');
    expect(c.classify('Бродячие собаки у школы покусали мою собаку').topics[0]?.id).toBe('animals');
    expect(c.classify('Над городом третий день смог, дышать нечем').topics[0]?.id).toBe('ecology');
    expect(c.classify('У школы бродит стая собак').topics[0]?.id).toBe('animals');
  });
});

describe('topics do not slide to their neighbours on real wording', () => {
  for (const [text, topic] of [
    ['Пакеты с мусором и бутылки по всему скверу у фонтана', 'waste'],
    ['Прошу спилить аварийное дерево у тротуара на ул. Мира', 'landscaping'],
    ['Упавшее дерево перекрыло проезжую часть у дома 40', 'landscaping'],
    ['Не горит фонарь у второго подъезда дома 6', 'lighting'],
    ['В подъезде дома 6 не горит свет на площадках', 'housing'],
    ['Холодные батареи в квартире, управляющая компания молчит', 'housing'],
    ['Снег на тротуаре у школы не убран, скользко', 'snow'],
    // "У подъезда" says where; the entrance itself is the topic only when it is what is wrong.
    ['В подъезде дома 5 грязно, полы не моют месяц', 'housing'],
    ['У подъезда дома 12 огромная лужа, не пройти', 'roads'],
  ] as const) {
    it(`${text} → ${topic}`, () => expect(c.classify(text).topics[0]?.id).toBe(topic));
  }
});

describe('ordinary posts do not become alerts on one topic word', () => {
  for (const text of [
    'Твои глаза как серый мокрый асфальт, я иду по ним и не могу дойти до дома',
    'Третий год без мяса: животные не еда, и я чувствую себя отлично',
    'Свадебное путешествие: ехали на автобусе через всю страну и были счастливы',
    'Скоро ты вернешься домой, грязный, не бритый, и я буду ждать у окна',
    'В Токио открыли самую длинную в мире подземную парковку',
    // Family life that passes a bus stop or a school is no report on them.
    'Ура, внук впервые сам дошёл до остановки и сел в автобус',
    'Вчера всей семьей катались на санках с горки у школы',
    'Вечером сидели с соседкой у подъезда, болтали про внуков',
    // "как всегда" reads as irony only about a thing named in earnest, not one passing word.
    'Он как всегда злился, потому что она в который раз обещала прийти на завтрак',
  ]) {
    it(text, () => {
      const r = c.classify(text);
      expect(r.alert).toBe(false);
      expect(r.problem?.reported).toBe(false);
    });
  }
});

describe("a community's notice board is not a report: sales, giveaways, lost and found", () => {
  for (const text of [
    'Отдаю бесплатно шкаф-купе, самовывоз, пятый этаж без лифта',
    'Помогите найти хозяина: у третьего подъезда второй день сидит рыжий пёс с поводком',
    'Кто потерял ключи с брелоком? Висят на заборе у остановки',
    'Продам гараж у лесополосы, ворота новые, погреб сухой, торг',
  ]) {
    it(text, () => {
      const r = c.classify(text);
      expect(r.alert).toBe(false);
    });
  }

  it('a complaint about selling is still a complaint; a fault said not to be there is none', () => {
    expect(c.classify('Ночью в ларьке у школы продают алкоголь подросткам, примите меры').alert).toBe(true);
    expect(c.classify('Крыша над пятым подъездом течёт, квартиры заливает').alert).toBe(true);
    const denied = c.classify('Крыша над пятым подъездом не течёт, кровлю перекрыли прошлым летом');
    expect(denied.explain.some((e) => /problem reported.*\bdef\b/.test(e))).toBe(false);
  });
});

describe('comments are judged with the post they answer', () => {
  const post = (id: string, text: string, kind: Post['kind'] = 'post', parentId?: string): Post => ({
    id,
    revision: 'r1',
    platform: 'vk',
    kind,
    sourceId: 's',
    community: { id: '-1' },
    author: null,
    ...(parentId ? { parentId } : {}),
    text,
    createdAt: '2026-01-10T08:00:00.000Z',
    capturedAt: '2026-01-10T08:00:01.000Z',
    engagement: {},
  });
  const now = new Date('2026-01-10T08:00:02.000Z');

  it('a short reply with no problem of its own is not an alert; it takes the topic of the post it answers', () => {
    const ice = post('vk:-1_5', 'На спуске у школы сплошной лёд, никто не посыпает');
    const reply = post('vk:-1_c6', 'Вчера там чуть не упал.', 'comment', 'vk:-1_5');
    const { analyzed } = analyzePosts([reply, ice], c, now);
    const r = analyzed.find((a) => a.post.id === 'vk:-1_c6')?.classification;
    expect(analyzed.find((a) => a.post.id === 'vk:-1_5')?.classification.alert).toBe(true);
    expect(r?.alert).toBe(false);
    expect(r?.topics[0]?.id).toBe('snow');
    expect(r?.explain.some((e) => e.startsWith('a reply with no problem of its own'))).toBe(true);
  });

  it('a parent from an earlier batch counts as one in the batch does; a post of the same words is judged on its own', () => {
    expect(parentsOutside([post('vk:-1_c7', 'Вчера там чуть не упал.', 'comment', 'vk:-1_99')])).toEqual(['vk:-1_99']);
    const { analyzed } = analyzePosts([post('vk:-1_c7', 'Вчера там чуть не упал.', 'comment', 'vk:-1_99')], c, now, new Map([['vk:-1_99', { topic: 'snow', problem: true }]]));
    expect(analyzed[0]?.classification.topics[0]?.id).toBe('snow');
    expect(analyzed[0]?.classification.alert).toBe(false);
  });

  it('"это к управляющей компании" redirects; it reports nothing', () => {
    for (const ctx of [{}, { kind: 'comment' as const, parent: { id: 'vk:-1_5', topic: 'housing', problem: true } }]) {
      expect(c.classify('Это не к администрации, это к управляющей компании.', ctx).alert).toBe(false);
    }
  });

  it('a reply with a problem of its own is an alert; the same short reply under two posts is never one problem', () => {
    const text = 'У нас во дворе тоже не вывозят мусор';
    const a = c.classify(text, { kind: 'comment', parent: { id: 'vk:-1_5' } });
    const b = c.classify(text, { kind: 'comment', parent: { id: 'vk:-2_9' } });
    expect(a.alert && b.alert).toBe(true);
    expect(a.fingerprint).not.toBe(b.fingerprint);
    expect(a.fingerprint).toMatch(/re:vk:-1_5/);
  });
});
