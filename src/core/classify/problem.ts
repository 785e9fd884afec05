import type { CueHit } from './cues.js';
import type { Sarcasm } from './sarcasm.js';
import type { FeatureWalk } from './features.js';
import { predictLinear, type LinearModel } from './linear-model.js';
import { isContentWord } from './features.js';
import { OtklikError } from '../errors.js';

/**
 * What the problem detector reads besides the words: cue groups (cues.json `problem`), what the
 * topic rules found, and the shape of the text. Built by the classifier, which has all of it.
 */
export interface ProblemSignals {
  cues: readonly CueHit[];
  /** Token positions that open a sentence (authority questions count there). */
  sentenceStarts: ReadonlySet<number>;
  questionMark: boolean;
  /** The best group by the topic rules: its score and the part its own terms gave. */
  topic?: { group: string; score: number; termScore: number; positions: readonly number[] };
  /** Smileys, bracket runs, second-person chatter: the marks of conversation, not of a report. */
  chat: boolean;
  /** House numbers the text names ("дом 7", "ул. Садовая 12а"). */
  houses: number;
  /** The text's tokens (a cue right after "не" is negated: "не убрали" is no work done). */
  words: readonly string[];
  /** Advertising cues of the alert policy. */
  ads: number;
  tokens: number;
}

export interface ProblemVerdict {
  /** Does the post report a problem someone must fix, or ask the authorities something? */
  problem: boolean;
  /** P(problem) by the model, or the rule's 0/1 without one. */
  score: number;
  /** The designed features that fired, for the explanation. */
  cues: string[];
  /**
   * The text is a statement that reports nothing, and is no complaint either: a thing said to work
   * ("светофор снова работает"), or a notice of planned works ("будет отключена горячая вода").
   */
  statement?: 'works' | 'notice';
}

/** The topic terms' weight irony must be about to count as a complaint by itself. */
const SARCASM_TERM_MIN = 2;

/** Words that negate the next one: "не работает" is no "работает". */
export const NEGATORS = new Set(['не', 'ни']);

/**
 * What takes back "it works" right after it ("работает, но…", "работает с перебоями", "горит через
 * раз") or right before it ("плохо работает", "еле работает", "открыли, но работает два часа").
 */
const QUALIFIERS = new Set(['но', 'а', 'однако', 'только', 'плохо', 'еле', 'кое-как', 'перебоями', 'раз', 'всегда', 'иногда', 'неправильно', 'некорректно']);

/** Is one of `set` among the words from `from` (inclusive) to `to` (exclusive)? */
function anyWithin(words: readonly string[], set: ReadonlySet<string>, from: number, to: number): boolean {
  for (let i = Math.max(0, from); i < Math.min(words.length, to); i++) if (set.has(words[i] as string)) return true;
  return false;
}

/** How many tokens apart a cue and a topic term may be to count as "about it". */
const NEAR = 3;

/**
 * The designed features of a text: a cue group present, conjunctions with a topic the rules
 * found (a fault named beside the thing it affects is the core of a report: "треснут люк"), and
 * the text's shape. Names are `f:` features, counted whole whatever the length of the text.
 */
export function problemFeatures(s: ProblemSignals): string[] {
  // One pass over the cues, then counts by kind.
  const tally = new Map<CueHit['kind'], number>();
  for (const h of s.cues) tally.set(h.kind, (tally.get(h.kind) ?? 0) + 1);
  const count = (kind: CueHit['kind']) => tally.get(kind) ?? 0;
  const def = count('deficiency');
  const weak = count('weak');
  const req = count('request');
  const aq = s.cues.some((h) => h.kind === 'authorityQuestion' && s.sentenceStarts.has(h.start));
  const auth = count('authority');
  const address = count('address') > 0 || s.houses > 0;
  // Everyday words of place ("во дворе", "у подъезда") are everyone's; an address is a report's.
  const place = count('place') > 0;
  const dur = count('duration');
  const news = count('news');
  const personal = count('personal');
  const story = count('story');
  const thanks = count('gratitude');
  const term = (s.topic?.termScore ?? 0) > 0;
  const strong = (s.topic?.termScore ?? 0) >= 3;
  const placeOnly = s.topic !== undefined && !term;
  // A fault named next to the thing it affects ("треснут люк", "фонарь не горит") is the core of a
  // report; the same word elsewhere in a sentence ("разбитый нос ... и светофоры") is not.
  const near = (kind: CueHit['kind']) => s.cues.some((h) => h.kind === kind && (s.topic?.positions ?? []).some((p) => Math.abs(p - h.start) <= NEAR));
  const f: string[] = [];
  const on = (cond: boolean, name: string) => {
    if (cond) f.push(name);
  };
  on(def > 0, 'def');
  on(def > 1, 'def2');
  on(weak > 0, 'weak');
  on(req > 0, 'req');
  on(aq, 'aq');
  on(s.questionMark, 'q');
  on(auth > 0, 'auth');
  on(place, 'place');
  on(s.houses > 0, 'house');
  on(address, 'addr');
  on(address && term, 'addr_t');
  on(dur > 0, 'dur');
  on(news > 0, 'news');
  on(news > 1, 'news2');
  on(personal > 0, 'pers');
  on(personal > 1, 'pers2');
  on(story > 0, 'story');
  on(count('modal') > 0, 'modal');
  on(count('modal') > 0 && term, 'modal_t');
  const action = count('action') > 0;
  on(action, 'act');
  on(action && term, 'act_t');
  on(action && (count('modal') > 0 || req > 0), 'ask_act');
  on(s.ads > 0, 'ad');
  on(term, 't_term');
  on(strong, 't_strong');
  on(placeOnly, 't_place');
  on(s.topic === undefined, 't_none');
  on(def > 0 && term, 'def_t');
  on(near('deficiency'), 'def_near');
  on(near('weak'), 'weak_near');
  on(near('request'), 'req_near');
  on(s.chat, 'chat');
  on(weak > 0 && term, 'weak_t');
  on(req > 0 && term, 'req_t');
  on((aq || s.questionMark) && term, 'q_t');
  on(place && term, 'place_t');
  on(def > 0 && (place || address), 'def_place');
  // Thanks alone is gratitude; "заранее спасибо" closing a request is politeness; thanks that open
  // the post, or come with works done ("яму заделали"), thank for a problem solved.
  on(thanks > 0 && def + weak + req === 0 && !aq && !s.questionMark, 'thanks_only');
  const lead = s.cues.some((h) => h.kind === 'gratitude' && h.start < 3 && s.words[h.start - 1] !== 'заранее');
  const resolved = s.cues.some((h) => h.kind === 'resolved' && s.words[h.start - 1] !== 'не');
  on(lead, 'thanks_lead');
  on(resolved, 'resolved');
  on(thanks > 0 && resolved, 'thanks_resolved');
  on(count('salutation') > 0, 'salut');
  on(s.tokens <= 3, 'short');
  on(s.tokens > 60, 'long');
  return f;
}

/**
 * "Светофор работает", "автобус ходит по расписанию": a thing said to work as it should, with no
 * fault, complaint word, request or question anywhere in the text, is a statement, not a report.
 * "Не работает" is a fault (negated cues are left out), and so is "работает, но…" or "работает с
 * перебоями" (a qualifier right after takes it back).
 */
export function statesItWorks(s: ProblemSignals): boolean {
  let works = false;
  for (const h of s.cues) {
    if (h.kind === 'deficiency' || h.kind === 'weak' || h.kind === 'request') return false;
    if (h.kind === 'authorityQuestion' && s.sentenceStarts.has(h.start)) return false;
    // "Не" up to three words before takes it back ("не вывозится вовремя", "не всегда работает"), as
    // does a qualifier right before it or within three words after.
    if (h.kind === 'working' && !anyWithin(s.words, NEGATORS, h.start - 3, h.start) && !QUALIFIERS.has(s.words[h.start - 1] as string) && !anyWithin(s.words, QUALIFIERS, h.end, h.end + 3)) works = true;
  }
  return works && !s.questionMark;
}

/**
 * "Уважаемые жители! 15 июня будет отключена горячая вода…", "с понедельника будет перекрыт проезд":
 * a utility's or a council's notice of planned works reports nothing, though it names the outage.
 * One that complains, asks or says how long it has lasted ("опять", "третью неделю", "когда?") is
 * a resident's, and is read as usual.
 */
export function announcesPlannedWorks(s: ProblemSignals): boolean {
  let notice = false;
  for (const h of s.cues) {
    if (h.kind === 'weak' || h.kind === 'request' || h.kind === 'duration' || h.kind === 'authorityQuestion') return false;
    if (h.kind === 'notice') notice = true;
  }
  return notice && !s.questionMark;
}

/** The designed features, then the content words' stems (what moderators' decisions teach). */
export function problemFeatureWalk(designed: readonly string[], tokens: readonly string[], stems: readonly string[]): FeatureWalk {
  return (emit) => {
    for (const name of designed) emit('f', name);
    for (let i = 0; i < tokens.length; i++) if (isContentWord(tokens[i] as string)) emit('w', stems[i] as string);
  };
}

/**
 * Decides whether a post reports a problem. With a model (featureSet `problem`, labels no/yes),
 * P(yes) against the policy's threshold; without one, a rule: a topic term of its own plus a
 * fault, a complaint word, a request or a question.
 */
export class ProblemDetector {
  constructor(private readonly model?: LinearModel) {
    if (model && (model.featureSet !== 'problem' || !model.labels.includes('yes'))) throw new OtklikError('RULES_INVALID', `the problem model must be trained on problem features with a "yes" label, not ${model.featureSet} / ${model.labels.join(',')}`);
  }

  get hasModel(): boolean {
    return this.model !== undefined;
  }

  detect(signals: ProblemSignals, tokens: readonly string[], stems: readonly string[], threshold: number, sarcasm?: Sarcasm['kind']): ProblemVerdict {
    const designed = problemFeatures(signals);
    // Irony about a thing ("спасибо за очередную яму") complains about it, whatever the words say;
    // but one weak topic word is no "thing" ("как всегда ... обещала сходить на завтрак" is a story).
    // Quotes single the thing out: praise of «дороги» is about the roads, a place word or not.
    const aboutThing = sarcasm === 'quotes' ? (signals.topic?.score ?? 0) > 0 : (signals.topic?.termScore ?? 0) >= SARCASM_TERM_MIN;
    if (sarcasm && aboutThing) return { problem: true, score: 1, cues: [...designed, 'sarcasm'] };
    // Said to work, or announced as planned works, and nothing else said: no model weighs that
    // against the topic words it names.
    const statement = statesItWorks(signals) ? 'works' : announcesPlannedWorks(signals) ? 'notice' : undefined;
    if (statement) return { problem: false, score: 0, cues: [...designed, statement], statement };
    if (!this.model) {
      const has = (n: string) => designed.includes(n);
      const problem = has('t_term') && (has('def') || has('weak') || has('req') || has('aq') || has('q'));
      return { problem, score: problem ? 1 : 0, cues: designed };
    }
    const pred = predictLinear(this.model, problemFeatureWalk(designed, tokens, stems), false);
    const score = pred.probabilities.find((p) => p.label === 'yes')?.p ?? 0;
    return { problem: score >= threshold, score, cues: designed };
  }
}
