/**
 * Writes connectors/replay/demo/corpus.jsonl: a deterministic demo feed for the fictional city
 * of Энск, shaped exactly like VK, OK and Telegram API payloads. Every phrase below was written
 * for this project. Run: npx tsx scripts/make-demo-corpus.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

let seed = 20261116;
function rnd(): number {
  // mulberry32: small, deterministic, good enough for picking phrases
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const chance = (p: number) => rnd() < p;

const streets = ['ул. Ленина', 'проспект Мира', 'ул. Гагарина', 'ул. Садовая', 'ул. Строителей', 'ул. Комсомольская', 'ул. Победы', 'Северный переулок', 'ул. Пушкина', 'ул. Заводская', 'ул. Некрасова', 'бульвар Энтузиастов', 'ул. Молодёжная', 'ул. Октябрьская', 'Привокзальная площадь', 'ул. Рабочая', 'ул. Лесная', 'ул. Чкалова'];
const districts = ['Заречный микрорайон', 'Центральный район', 'посёлок Сосновка', 'микрорайон Южный', 'Старый город', 'район ДСК', 'Берёзовая роща'];
const place = () => (chance(0.7) ? `${pick(streets)}, ${1 + Math.floor(rnd() * 120)}` : pick(districts));
const days = () => pick(['два дня', 'три дня', 'неделю', 'вторую неделю', 'месяц', 'полгода', 'с понедельника', 'с осени', 'пятый день']);
const bus = () => pick(['5', '12', '17', '23', '31', '4к', '40', '104']);

const openers = ['', '', '', 'Здравствуйте! ', 'Добрый день. ', 'Админ, опубликуйте, пожалуйста. ', 'Анонимно. ', 'Уважаемая администрация! ', 'Жители, подскажите. ', 'Доброе утро, Энск. '];
const closers = ['', '', '', ' Сколько можно?!', ' Примите меры!', ' Фото в комментариях.', ' Куда смотрит администрация?', ' Просим разобраться.', ' Надоело уже.', ' 😡', ' Очень ждём ответа.', ' Жалоба уже была, толку ноль.'];

type Bank = { topic: string; complaints: (() => string)[]; questions: (() => string)[] };

const banks: Bank[] = [
  { topic: 'roads', complaints: [
    () => `На ${place()} огромная яма посреди дороги, уже две машины пробили колёса.`,
    () => `Асфальт на ${place()} разбит полностью, ямы по колено, объехать невозможно.`,
    () => `Тротуар у дома ${place()} провалился, люди ходят по проезжей части.`,
    () => `Дорогу на ${place()} отремонтировали летом, а через ${days()} снова выбоины.`,
    () => `Светофор на перекрёстке ${pick(streets)} и ${pick(streets)} не работает ${days()}, постоянно аварийные ситуации.`,
    () => `Открытый люк на ${place()}, ребёнок чуть не упал. Срочно закройте!`,
    () => `Разметку на ${pick(streets)} так и не нанесли, пешеходного перехода не видно.`,
    () => `Колея на ${pick(streets)} такая, что машины цепляют днищем. Дорога в ужасном состоянии.`,
    () => `Бордюр на ${place()} разрушен, обломки лежат на тротуаре ${days()}.`,
    () => `Ямочный ремонт сделали прямо в лужи, асфальт уже раскрошился на ${place()}.`,
  ], questions: [
    () => `Когда отремонтируют дорогу на ${pick(streets)}? Обещали ещё в прошлом году.`,
    () => `Подскажите, кто отвечает за тротуар на ${place()}? Куда писать про ямы?`,
    () => `Будет ли ремонт дороги в ${pick(districts)} в следующем году?`,
  ] },
  { topic: 'transport', complaints: [
    () => `Автобус №${bus()} опять не пришёл, на остановке ${pick(streets)} стоим по сорок минут.`,
    () => `Маршрутка ${bus()} ходит раз в час, а по расписанию каждые 15 минут. Безобразие.`,
    () => `Водитель автобуса ${bus()} проехал остановку и не открыл двери, хамство.`,
    () => `В троллейбусе ${bus()} зимой не работает отопление, все замёрзли.`,
    () => `Остановку на ${pick(streets)} снесли, новую так и не поставили ${days()}.`,
    () => `Интервал движения автобусов ${bus()} увеличили, до работы не доехать вовремя.`,
    () => `Кондуктор в автобусе ${bus()} отказалась принять карту, проезд за наличные только.`,
  ], questions: [
    () => `Подскажите, почему автобус ${bus()} перестал заезжать в ${pick(districts)}?`,
    () => `Когда вернут маршрут ${bus()}? Людям из ${pick(districts)} не на чем ездить.`,
    () => `Где посмотреть новое расписание автобусов до ${pick(districts)}?`,
  ] },
  { topic: 'landscaping', complaints: [
    () => `Детская площадка во дворе ${place()} сломана, качели висят на одной цепи.`,
    () => `Во дворе ${place()} вместо газона грязь, после дождя не пройти.`,
    () => `Лавочки в сквере на ${pick(streets)} разломаны, сесть негде.`,
    () => `Упало дерево во дворе ${place()}, лежит поперёк дорожки ${days()}.`,
    () => `Траву в парке на ${pick(streets)} не косили всё лето, заросли по пояс.`,
    () => `Благоустройство двора ${place()} закончили, а плитка уже разваливается.`,
    () => `Забор вокруг площадки на ${place()} повалился, дети лазят через арматуру.`,
  ], questions: [
    () => `Подскажите, когда будет благоустройство двора ${place()}? Мы подавали заявку.`,
    () => `Кто отвечает за детскую площадку во дворе ${place()}?`,
  ] },
  { topic: 'lighting', complaints: [
    () => `На ${place()} не горят фонари ${days()}, вечером идти страшно, темно.`,
    () => `Освещения во дворе ${place()} нет совсем, темнота, дети из школы идут в темноте.`,
    () => `Фонарь у остановки ${pick(streets)} мигает и гаснет, опять темно.`,
    () => `В парке на ${pick(streets)} половина светильников разбита, освещения нет.`,
  ], questions: [
    () => `Когда починят фонари на ${pick(streets)}? Уже ${days()} темно.`,
    () => `Куда обращаться, если на улице не горит освещение?`,
  ] },
  { topic: 'snow', complaints: [
    () => `Снег на ${place()} не убирают ${days()}, сугробы по колено.`,
    () => `Гололёд на тротуарах ${pick(streets)}, ничем не посыпано, люди падают.`,
    () => `Во дворе ${place()} не чистят снег, машины не могут выехать.`,
    () => `С крыши дома ${place()} свисают огромные сосульки, опасно ходить!`,
    () => `Дорогу на ${pick(streets)} расчистили, а весь снег сгребли на тротуар.`,
    () => `Наледь на остановке ${pick(streets)}, скользко, бабушка упала сегодня.`,
  ], questions: [
    () => `Когда будут убирать снег во дворе ${place()}?`,
    () => `Подскажите, кто должен посыпать тротуар у ${place()}? Скользко очень.`,
  ] },
  { topic: 'waste', complaints: [
    () => `Мусор у контейнерной площадки ${place()} не вывозят ${days()}, баки переполнены.`,
    () => `Стихийная свалка за гаражами на ${pick(streets)}, разносит ветром по всему району.`,
    () => `Контейнеры на ${place()} сломаны, мусор валяется вокруг, воняет.`,
    () => `Вывоз мусора в ${pick(districts)} не осуществляется ${days()}, а платим исправно.`,
  ], questions: [
    () => `Подскажите, по какому графику вывозят мусор в ${pick(districts)}?`,
    () => `Куда жаловаться на регионального оператора, мусор не вывозят?`,
  ] },
  { topic: 'housing', complaints: [
    () => `В доме ${place()} нет горячей воды ${days()}, управляющая компания молчит.`,
    () => `Батареи в квартирах ${place()} холодные, отопление так и не дали. Дети болеют.`,
    () => `В подъезде ${place()} течёт крыша, на пятом этаже потолок мокрый.`,
    () => `Лифт в доме ${place()} не работает ${days()}, пожилые люди не могут выйти.`,
    () => `Прорыв трубы у дома ${place()}, вода заливает подвал. Аварийная служба не едет.`,
    () => `В квитанции за отопление сумма выросла вдвое, а в квартире холодно. УК игнорирует.`,
    () => `Канализацию в доме ${place()} прорвало, в подъезде стоит запах.`,
  ], questions: [
    () => `Когда дадут горячую воду на ${pick(streets)}? Отключили без предупреждения.`,
    () => `Подскажите, куда обращаться, если управляющая компания не отвечает?`,
    () => `Будет ли капремонт крыши дома ${place()} в этом году?`,
  ] },
  { topic: 'education', complaints: [
    () => `В школе №${1 + Math.floor(rnd() * 30)} в классах холодно, дети сидят в куртках.`,
    () => `В детском саду на ${pick(streets)} не хватает воспитателей, группы переполнены.`,
    () => `Школьный автобус в ${pick(districts)} не ходит ${days()}, дети пропускают уроки.`,
  ], questions: [
    () => `Подскажите, когда откроется запись в кружки при школе №${1 + Math.floor(rnd() * 30)}?`,
    () => `Когда достроят детский сад в ${pick(districts)}? Очередь огромная.`,
  ] },
  { topic: 'healthcare', complaints: [
    () => `В поликлинике на ${pick(streets)} невозможно записаться к терапевту, талонов нет ${days()}.`,
    () => `Скорая ехала к пожилому человеку полтора часа. Это нормально?`,
    () => `В регистратуре поликлиники хамят и не берут трубку.`,
    () => `В аптеке на ${pick(streets)} нет льготных лекарств ${days()}.`,
  ], questions: [
    () => `Подскажите, как записаться к врачу в поликлинике ${pick(districts)}?`,
    () => `Когда откроют ФАП в ${pick(districts)}?`,
  ] },
  { topic: 'social', complaints: [
    () => `Выплату многодетным задерживают ${days()}, в соцзащите ничего не объясняют.`,
    () => `В МФЦ на ${pick(streets)} очередь на три часа, окон работает два.`,
  ], questions: [
    () => `Подскажите, как оформить пособие на ребёнка через МФЦ?`,
    () => `Положена ли льгота на проезд пенсионерам из ${pick(districts)}?`,
  ] },
  { topic: 'safety', complaints: [
    () => `Во дворе ${place()} каждую ночь шум и пьяные компании, полиция не приезжает.`,
    () => `На ${pick(streets)} опасный переход без светофора, дети перебегают дорогу.`,
  ], questions: [
    () => `Подскажите, как связаться с участковым в ${pick(districts)}?`,
  ] },
  { topic: 'ecology', complaints: [
    () => `Из трубы завода на ${pick(streets)} опять выбросы, по всему району запах гари.`,
    () => `Вырубка деревьев в ${pick(districts)}, кто разрешил?`,
    () => `Берег реки у ${pick(districts)} завален мусором, загрязнение воды.`,
  ], questions: [
    () => `Куда сообщить про дым и вонь в ${pick(districts)}? Дышать нечем.`,
  ] },
  { topic: 'animals', complaints: [
    () => `Стая бездомных собак на ${place()}, бросаются на детей.`,
    () => `Собака покусала ребёнка возле школы на ${pick(streets)}, отлов не проводят.`,
  ], questions: [
    () => `Подскажите, куда звонить по отлову бездомных собак?`,
  ] },
];

const gratitude = [
  () => `Спасибо дорожникам, яму на ${pick(streets)} заделали за день!`,
  () => `Благодарим управление благоустройства за новую площадку во дворе ${place()}. Дети счастливы.`,
  () => `Спасибо, что так быстро убрали снег у школы. Молодцы!`,
  () => `Хочу поблагодарить водителя автобуса ${bus()}, очень вежливый и аккуратный.`,
  () => `Фонари на ${pick(streets)} наконец горят, спасибо за оперативную работу.`,
  () => `Отличный новый сквер на ${pick(streets)}, красиво и уютно.`,
];
const noise = [
  () => `Скидки до 50% на зимнюю резину! Доставка по городу бесплатно, звоните.`,
  () => `Продам диван в хорошем состоянии, недорого. Самовывоз ${pick(districts)}.`,
  () => `Розыгрыш! Подписывайтесь на наш магазин и выигрывайте сертификат.`,
  () => `Всем доброе утро! Хорошего дня, Энск ☀️`,
  () => `С днём рождения, любимый город!`,
  () => `Кто смотрел вчера матч? Наши молодцы!`,
  () => `Потерялся кот, рыжий, в районе ${pick(streets)}. Откликается на Барсик.`,
  () => `Ищу попутчиков до областного центра в субботу утром.`,
  () => `Какая красивая сегодня луна над рекой 🌕`,
  () => `Отдам котят в добрые руки, приучены к лотку.`,
  () => `Акция в кафе на ${pick(streets)}: вторая пицца в подарок! Промокод ЭНСК.`,
  () => `Сдаю однокомнатную квартиру в ${pick(districts)}, без посредников.`,
  () => `Всех с пятницей! Какие планы на выходные?`,
  () => `Заработок в интернете от 5000 в день, пишите в личку.`,
  () => `Фотографии осеннего парка, красота 🍂`,
  () => `Ищу мастера по ремонту стиральных машин, посоветуйте.`,
];
const comments = [
  () => `Поддерживаю, у нас то же самое.`,
  () => `Тоже видел, ужас.`,
  () => `Писали уже сто раз, никто не реагирует.`,
  () => `+1, сколько можно терпеть`,
  () => `Администрация, ответьте людям!`,
  () => `А у нас во дворе ещё хуже.`,
  () => `Вчера там чуть не упал.`,
  () => `Спасибо, что подняли тему.`,
  () => `Это не к администрации, это к управляющей компании.`,
  () => `Фото бы приложили.`,
];

function message(): { text: string; kind: string } {
  const r = rnd();
  if (r < 0.62) {
    const b = pick(banks);
    const q = chance(0.25);
    const body = q ? pick(b.questions)() : pick(b.complaints)();
    return { text: (pick(openers) + body + (q ? '' : pick(closers))).trim(), kind: b.topic };
  }
  if (r < 0.7) return { text: pick(gratitude)(), kind: 'gratitude' };
  return { text: pick(noise)(), kind: 'noise' };
}

// Communities of Энск on each platform.
const vkGroups = [-210345001, -210345002, -210345003, -210345004];
const okGroups = ['70000001234567', '70000001234568'];
const tgChannel = { id: -1002100000001, title: 'Энск Онлайн', username: 'ensk_online', type: 'channel' };
const tgChat = { id: -1002100000002, title: 'Энск Онлайн — чат', username: 'ensk_online_chat', type: 'supergroup' };

const lines: string[] = [];
const start = Date.parse('2026-11-16T05:00:00Z') / 1000;
let t = start;
const vkPostIds = new Map<number, number>(vkGroups.map((g) => [g, 4000 + Math.floor(rnd() * 500)]));
const vkCommentIds = new Map<number, number>(vkGroups.map((g) => [g, 90000]));
const recentVk: { owner: number; id: number }[] = [];
const recentOk: { gid: string; id: string }[] = [];
let okTopic = 156000000000000;
let okComment = 1;
let tgPost = 3100;
let tgMsg = 51000;
let update = 804211000;
const recentTg: number[] = [];
const users = () => 100000000 + Math.floor(rnd() * 800000000);

const TOTAL = 2400;
for (let n = 0; n < TOTAL; n++) {
  t += 60 + Math.floor(rnd() * 300);
  const m = message();
  const p = rnd();
  if (p < 0.68) {
    const owner = pick(vkGroups);
    if (recentVk.length > 0 && chance(0.3)) {
      const parent = pick(recentVk.filter((x) => x.owner === owner).concat(recentVk.slice(-3)));
      const cid = (vkCommentIds.get(parent.owner) ?? 0) + 1 + Math.floor(rnd() * 4);
      vkCommentIds.set(parent.owner, cid);
      const text = chance(0.5) ? pick(comments)() : m.text;
      lines.push(JSON.stringify({ platform: 'vk', kind: 'comment', item: { id: cid, owner_id: parent.owner, post_id: parent.id, from_id: users(), date: t, text, parents_stack: [], thread: { count: 0, items: [], can_post: true, show_reply_button: true, groups_can_post: true }, likes: { count: Math.floor(rnd() * 8), user_likes: 0, can_like: 1 } } }));
      continue;
    }
    const id = (vkPostIds.get(owner) ?? 0) + 1 + Math.floor(rnd() * 3);
    vkPostIds.set(owner, id);
    recentVk.push({ owner, id });
    if (recentVk.length > 30) recentVk.shift();
    const suggested = chance(0.6);
    const item: Record<string, unknown> = {
      id, owner_id: owner, from_id: suggested ? owner : users(), date: t, post_type: 'post', type: 'post', marked_as_ads: m.kind === 'noise' && chance(0.3) ? 1 : 0,
      text: m.text, attachments: [], post_source: { type: 'vk' },
      comments: { can_post: 1, count: Math.floor(rnd() * 30), groups_can_post: true },
      likes: { can_like: 1, count: Math.floor(rnd() * 200), user_likes: 0, can_publish: 1 },
      reposts: { count: Math.floor(rnd() * 10), wall_count: 0, mail_count: 0, user_reposted: 0 },
      views: { count: 100 + Math.floor(rnd() * 20000) },
    };
    if (suggested) item.signer_id = users();
    if (chance(0.04)) item.edited = t + 120 + Math.floor(rnd() * 600);
    lines.push(JSON.stringify({ platform: 'vk', kind: 'post', item }));
  } else if (p < 0.84) {
    const gid = pick(okGroups);
    if (recentOk.length > 0 && chance(0.3)) {
      const parent = pick(recentOk);
      const text = chance(0.5) ? pick(comments)() : m.text;
      const cid = Buffer.from(`${t * 1000}:${okComment++}`).toString('base64');
      // OK sends a comment's time only as Moscow local time, no date_ms (platform reference 2.4).
      lines.push(JSON.stringify({ platform: 'ok', kind: 'comment', topic: { gid: parent.gid, id: parent.id }, item: { id: cid, author_id: String(570000000000 + Math.floor(rnd() * 9999999)), text, date: new Date(t * 1000 + 3 * 3600_000).toISOString().replace('T', ' ').slice(0, 19), reply_to_comment_id: null, reply_to_id: null, like_count: Math.floor(rnd() * 5) } }));
      continue;
    }
    okTopic += 1 + Math.floor(rnd() * 50);
    const id = String(okTopic);
    recentOk.push({ gid, id });
    if (recentOk.length > 20) recentOk.shift();
    lines.push(JSON.stringify({ platform: 'ok', kind: 'post', item: { id, created_ms: t * 1000 + Math.floor(rnd() * 1000), owner_ref: `group:${gid}`, author_ref: chance(0.5) ? `group:${gid}` : `user:${570000000000 + Math.floor(rnd() * 9999999)}`, media: [{ type: 'text', text: m.text }], discussion_summary: { comments_count: Math.floor(rnd() * 20) }, like_summary: { count: Math.floor(rnd() * 90) }, reshare_summary: { count: Math.floor(rnd() * 5) } } }));
  } else {
    update += 1;
    if (recentTg.length > 0 && chance(0.55)) {
      const root = pick(recentTg);
      tgMsg += 1;
      lines.push(JSON.stringify({ platform: 'tg', item: { update_id: update, message: { message_id: tgMsg, message_thread_id: root, from: { id: 5000000 + Math.floor(rnd() * 900000000), is_bot: false, first_name: 'Житель', language_code: 'ru' }, chat: tgChat, date: t, text: chance(0.4) ? pick(comments)() : m.text } } }));
      continue;
    }
    tgPost += 1;
    tgMsg += 1;
    recentTg.push(tgMsg);
    if (recentTg.length > 10) recentTg.shift();
    lines.push(JSON.stringify({ platform: 'tg', item: { update_id: update, channel_post: { message_id: tgPost, sender_chat: tgChannel, chat: tgChannel, date: t, text: m.text } } }));
  }
}

// A surge, as a real region sees one: within one hour a dozen residents of one district write about
// a smell of gas (spike alerts must find it: posts and alerts about housing in Заречный район far
// above that hour's usual). Written for the demo; inserted where their time falls, no random draw
// spent, so every other line stays as it was.
const surgeFrom = Date.parse('2026-11-20T15:00:00Z') / 1000;
const surge = [
  'В Заречном районе сильно пахнет газом у дома 14, соседи тоже чувствуют. Позвоните в газовую службу!',
  'Запах газа на всю улицу в Заречном районе, дети боятся выходить. Что случилось?',
  'Заречный район, дом 22: в подъезде запах газа уже час, аварийка не отвечает.',
  'У нас в Заречье пахнет газом во дворе, кто-нибудь знает, что происходит?',
  'Запах газа в Заречном районе возле школы, прошу срочно проверить!',
  'В мкр Заречный газом пахнет даже в квартире с закрытыми окнами. Страшно.',
  'Заречный район: сильный запах газа у домов 3 и 5, газовики, приезжайте!',
  'Жители Заречья, у вас тоже пахнет газом? У нас на Лесной дышать нечем.',
  'Опять запах газа в Заречном районе, теперь у магазина. Куда звонить?',
  'Запах газа по всему Заречному району, окна не открыть. Примите меры!',
  'В Заречье у дома 31 пахнет газом, вызвали аварийную службу, ждём.',
  'Заречный район, запах газа не проходит второй час, люди выходят на улицу.',
].map((text, i) => JSON.stringify({ platform: 'vk', kind: 'post', item: { id: 900001 + i, owner_id: vkGroups[0], from_id: 400000001 + i, date: surgeFrom + 60 + i * 240, post_type: 'post', type: 'post', marked_as_ads: 0, text, attachments: [], post_source: { type: 'vk' }, comments: { can_post: 1, count: 0, groups_can_post: true }, likes: { can_like: 1, count: i, user_likes: 0, can_publish: 1 }, reposts: { count: 0, wall_count: 0, mail_count: 0, user_reposted: 0 }, views: { count: 300 + i * 17 } } }));
const surgeAt = lines.findIndex((l) => Number((/"date":(\d+)/.exec(l) ?? [])[1] ?? 0) >= surgeFrom);
lines.splice(surgeAt < 0 ? lines.length : surgeAt, 0, ...surge);

// Three broken lines, as a real feed has: they must end in the dead-letter queue, named by line.
lines.splice(700, 0, '{"platform":"vk","kind":"post","item":{"id":99999,"owner_id":-210345001,"text":"Пост без даты');
lines.splice(1400, 0, JSON.stringify({ platform: 'vk', kind: 'post', item: { id: 99998, owner_id: -210345002, text: 'Пост без даты публикации' } }));
lines.splice(2100, 0, JSON.stringify({ platform: 'tg', item: { update_id: 804299999, message: { message_id: 0, chat: tgChat, date: t, text: 'Запланированное сообщение' } } }));

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'connectors', 'replay', 'demo', 'corpus.jsonl');
writeFileSync(out, lines.join('\n') + '\n');
process.stdout.write(`${lines.length} lines → ${out}\n`);
