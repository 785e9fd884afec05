/**
 * An admin's set-up of the Kursk region, built by `npm run eval` in a temporary folder to measure
 * routing on the Kursk appeals the way issue 23 asks: territories as a register import gives them,
 * the region's bodies by their public names (administrations marked as such), routes by remit.
 * Nothing here is read from the appeals but the names of the bodies that answered them (an admin
 * lists every body that answers appeals); the folder is deleted after the measurement and nothing
 * built from the appeals is kept.
 *
 * The place names are the region's public administrative division (Курская область: five cities of
 * regional significance, 28 districts with their centres, the city's three okrugs). There are no
 * streets: this machine has no register export (ГАР) of the region, so a post that names only its
 * street stays at the source's territory, the region.
 */
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { districtTerms, placeForms, regionTerms } from '../src/core/classify/gazetteer-gar.js';
import type { Gazetteer } from '../src/core/classify/gazetteer.js';
import type { RoutingRules } from '../src/core/routing/router.js';
import { ROUTE_PROPOSE_MIN } from '../src/core/routing/learned-router.js';
import { resolveProjectPath } from '../src/paths.js';

/** The territory of the region-wide feedback channel the appeals came through. */
export const KURSK_REGION = 'Курская обл.';
export const KURSK_CITY = 'г. Курск';
const CITY = KURSK_CITY;

/** District (its adjective) and its centre, when the centre is not a city of its own. */
const DISTRICTS: readonly (readonly [string, string?])[] = [
  ['Беловский', 'сл. Белая'], ['Большесолдатский', 'с. Большое Солдатское'], ['Глушковский', 'пгт Глушково'], ['Горшеченский', 'пгт Горшечное'],
  ['Дмитриевский', 'г. Дмитриев'], ['Железногорский'], ['Золотухинский', 'пгт Золотухино'], ['Касторенский', 'пгт Касторное'],
  ['Конышевский', 'пгт Конышевка'], ['Кореневский', 'пгт Коренево'], ['Курский'], ['Курчатовский', 'пгт Иванино'],
  ['Льговский'], ['Мантуровский', 'с. Мантурово'], ['Медвенский', 'пгт Медвенка'], ['Обоянский', 'г. Обоянь'],
  ['Октябрьский', 'пгт Прямицыно'], ['Поныровский', 'пгт Поныри'], ['Пристенский', 'пгт Пристень'], ['Рыльский', 'г. Рыльск'],
  ['Советский', 'пгт Кшенский'], ['Солнцевский', 'пгт Солнцево'], ['Суджанский', 'г. Суджа'], ['Тимский', 'пгт Тим'],
  ['Фатежский', 'г. Фатеж'], ['Хомутовский', 'пгт Хомутовка'], ['Черемисиновский', 'пгт Черемисиново'], ['Щигровский'],
];
/** Cities of regional significance besides Курск (each its own municipality), with their ids. */
const CITIES: readonly (readonly [string, string])[] = [['Железногорск', 'zheleznogorsk'], ['Курчатов', 'kurchatov'], ['Льгов', 'lgov'], ['Щигры', 'shchigry']];
/** Towns that are district centres, with their ids (each has an administration of its own). */
const TOWNS: Record<string, string> = { Дмитриев: 'dmitriev', Обоянь: 'oboyan', Рыльск: 'rylsk', Суджа: 'sudzha', Фатеж: 'fatezh' };
const OKRUGS: readonly (readonly [string, string])[] = [['Центральный', 'central'], ['Сеймский', 'seym'], ['Железнодорожный', 'zhd']];

const exact = (name: string) => placeForms(name).map((f) => `=${f}`);
/** «Щигры» is plural; the register's name gives no declension, so an admin writes its forms. */
const cityNames = (name: string) => (name === 'Щигры' ? ['=щигры', '=щигр', '=щиграх', '=щиграм'] : exact(name));

export function kurskGazetteer(): Gazetteer {
  const okrugs = OKRUGS.map(([o]) => ({ id: `${CITY}, ${o} округ`, names: [`${o.toLowerCase().slice(0, -2)}* округ*`], streets: [], parts: [] }));
  const cities = CITIES.map(([c]) => ({ id: `г. ${c}`, names: cityNames(c), streets: [], parts: [] }));
  const districts = DISTRICTS.map(([adj, centre]) => ({
    id: `${adj} р-н`,
    names: districtTerms(adj),
    streets: [],
    parts: centre ? [{ id: centre, names: exact(centre.replace(/^\S+ /u, '')), streets: [], parts: [] }] : [],
  }));
  const city = { id: CITY, names: [...exact('Курск'), 'город курск', 'г курск'], streets: [], parts: okrugs };
  return { version: 1, territories: [{ id: KURSK_REGION, names: regionTerms('Курская'), streets: [], parts: [city, ...cities, ...districts] }] };
}

/** The city's committees and the region's, by their public names. */
const COMMITTEES: readonly (readonly [string, string, string?])[] = [
  ['kursk-roads', 'Комитет дорожного хозяйства города Курска', CITY],
  ['kursk-housing', 'Комитет жилищно-коммунального хозяйства города Курска', CITY],
  ['kursk-city-economy', 'Комитет городского хозяйства города Курска', CITY],
  ['kursk-inspection', 'Муниципальное казенное учреждение «Городская инспекция по жилищно-коммунальному хозяйству и благоустройству»', CITY],
  ['kursk-transport', 'Департамент пассажирского транспорта города Курска', CITY],
  ['kursk-education', 'Комитет образования города Курска', CITY],
  ['kursk-architecture', 'Комитет архитектуры и градостроительства города Курска', CITY],
  ['kursk-social', 'Комитет социальной защиты населения города Курска', CITY],
  ['housing-inspection', 'Государственная жилищная инспекция Курской области'],
  ['region-roads', 'Комитет транспорта и автомобильных дорог Курской области'],
  ['region-health', 'Комитет здравоохранения Курской области'],
  ['region-nature', 'Комитет природных ресурсов Курской области'],
  ['region-social', 'Комитет социального обеспечения, материнства и детства Курской области'],
  ['region-education', 'Комитет образования и науки Курской области'],
  ['region-housing', 'Комитет жилищно-коммунального хозяйства и ТЭК Курской области'],
  ['region-digital', 'Комитет цифрового развития и связи Курской области'],
  ['region-labour', 'Комитет по труду и занятости населения Курской области'],
];

/** The set-up's body for a body name as the appeals spell it (administrations by their territory). */
export function kurskBodyOf(name: string): string {
  const committee = COMMITTEES.find(([, n]) => n === name);
  if (committee) return committee[0];
  if (name === 'Администрация города Курска') return 'kursk-admin';
  const okrug = /^Администрация (\S+) округа города Курска/u.exec(name)?.[1];
  if (okrug) return `kursk-${OKRUGS.find(([o]) => o.slice(0, 5) === okrug.slice(0, 5))?.[1] ?? 'central'}-admin`;
  const district = /^Администрация (\S+) района/u.exec(name)?.[1];
  const d = district ? DISTRICTS.findIndex(([adj]) => adj.slice(0, 5) === district.slice(0, 5)) : -1;
  if (d >= 0) return `district-${d + 1}-admin`;
  if (/^Администрация (?:города|г\.)/u.test(name)) {
    const place = [...CITIES, ...Object.entries(TOWNS)].find(([c]) => name.includes(c.slice(0, Math.max(4, c.length - 1))));
    if (place) return `${place[1]}-admin`;
  }
  // Management companies and the smaller committees: named, so moderators can route to them.
  return `other-${createHash('sha1').update(name).digest('hex').slice(0, 8)}`;
}

const body = (id: string, name: string, extra: { territory?: string; administration?: boolean } = {}) => ({ id, name, timeZone: 'Europe/Moscow', calendar: 'ru', overlays: [], sla: 'standard', notify: {}, ...extra });

/**
 * The routing rules: the administration of the place for every municipal topic, the region's
 * committees for their remits, and in the city its committees beside its administration at the
 * same precedence (who of them answers is not a matter of topic and place: the learned router
 * decides between them). `answeringBodies` are the names of every body that answers appeals.
 */
export function kurskRouting(answeringBodies: Iterable<string>): RoutingRules {
  const bodies = [
    body('cur', 'ЦУР Курской области'),
    body('kursk-admin', 'Администрация города Курска', { territory: CITY, administration: true }),
    ...OKRUGS.map(([o, id]) => body(`kursk-${id}-admin`, `Администрация ${o.slice(0, -2)}ого округа города Курска`, { territory: `${CITY}, ${o} округ`, administration: true })),
    ...CITIES.map(([c, id]) => body(`${id}-admin`, `Администрация города ${c}`, { territory: `г. ${c}`, administration: true })),
    ...Object.entries(TOWNS).map(([c, id]) => body(`${id}-admin`, `Администрация г. ${c}`, { territory: `г. ${c}`, administration: true })),
    ...DISTRICTS.map(([adj], i) => body(`district-${i + 1}-admin`, `Администрация ${adj.slice(0, -2)}ого района`, { territory: `${adj} р-н`, administration: true })),
    ...COMMITTEES.map(([id, name, territory]) => body(id, name, territory ? { territory } : {})),
  ];
  const known = new Set(bodies.map((b) => b.id));
  for (const name of answeringBodies) {
    const id = kurskBodyOf(name);
    if (!known.has(id)) {
      known.add(id);
      bodies.push(body(id, name));
    }
  }
  const K = { territory: CITY };
  const r = (topic: string, to: string, extra: { territory?: string; keywords?: string[] } = {}) => ({ topic, ...extra, body: to });
  const routes = [
    ...['roads', 'landscaping', 'lighting', 'snow', 'waste', 'housing', 'transport', 'safety', 'animals', 'ecology', 'social', 'education'].map((t) => r(t, '@administration')),
    r('healthcare', 'region-health'),
    r('ecology', 'region-nature'),
    r('social.payments', 'region-social'),
    r('social.benefits', 'region-social'),
    r('housing', 'housing-inspection', { keywords: ['управляющ* компани*', '=ук', 'капремонт*', 'капитальн* ремонт*', '=тсж', 'перерасчет*'] }),
    r('housing.bills', 'housing-inspection'),
    // The regional inspection answers for managing companies in the city too (a route of the city's depth, with keywords, so it wins there).
    r('housing', 'housing-inspection', { territory: CITY, keywords: ['управляющ* компани*', '=ук', 'капремонт*', 'капитальн* ремонт*', '=тсж', 'перерасчет*'] }),
    r('roads', 'region-roads', { keywords: ['трасс*', 'автодорог*', 'региональн* дорог*'] }),
    r('transport', 'region-roads', { keywords: ['пригородн*', 'междугородн*', 'межмуниципальн*', 'автовокзал*'] }),
    ...([['roads', 'kursk-roads'], ['snow', 'kursk-roads'], ['lighting', 'kursk-city-economy'], ['landscaping', 'kursk-city-economy'], ['waste', 'kursk-city-economy'], ['housing', 'kursk-housing'], ['housing', 'kursk-inspection']] as const).map(([t, b]) => r(t, b, K)),
    ...['roads', 'snow', 'lighting', 'landscaping', 'waste', 'housing'].map((t) => r(t, '@administration', K)),
    r('transport', 'kursk-transport', K),
    r('education', 'kursk-education', K),
  ];
  const standard = { normal: { firstResponse: 'working-time:480', finalAnswer: 'working-time:3360' }, high: { firstResponse: 'working-time:240', finalAnswer: 'working-time:1440' }, warnAt: [0.5, 0.8] };
  return { version: 1, fallbackBody: 'cur', slaPolicies: { standard }, rerouteRestartsBodyClock: true, answerReview: false, learnedProposeMin: ROUTE_PROPOSE_MIN, bodies, routes };
}

/** Writes the set-up into `dir`: the project's rules with the region's gazetteer and routing, no router model. */
export function writeKurskSetup(dir: string, routing: RoutingRules): void {
  cpSync(resolveProjectPath('rules'), dir, { recursive: true });
  rmSync(`${dir}/models/router.json`, { force: true });
  writeFileSync(`${dir}/gazetteer.json`, JSON.stringify(kurskGazetteer()));
  writeFileSync(`${dir}/routing.json`, JSON.stringify(routing));
}
