import { z } from 'zod';
import { TermMatcher, termSchema, type AnalyzedTokens } from './terms.js';

const terms = z.array(termSchema).default([]);

/**
 * How residents report a problem, whatever their tone (problem.ts): what is broken or missing,
 * what they ask for, whom they address, where and for how long — and the marks of text that is
 * not a report (news from elsewhere, personal life, stories).
 */
const problemCuesSchema = z
  .object({
    /** Something broken, missing, not done: "не работает", "разбит", "не вывозят", "отсутствует". */
    deficiency: terms,
    /** Words that complain without naming a fault: "нет", "проблема", "ужас", "грязь". */
    weak: terms,
    /** A request for action: "прошу", "примите меры", "уберите". */
    request: terms,
    /** Saying something is needed: "нужно", "надо", "необходимо" (ordinary speech says it too). */
    modal: terms,
    /** The works asked of a body: "отремонтировать", "вывезти", "спилить", "установить". */
    action: terms,
    /** Works done ("заделали", "починили"): with thanks, a post is gratitude, not a report. */
    resolved: terms,
    /** A thing said to work as it should ("работает", "горят", "ходит по расписанию"); "не работает" is a fault. */
    working: terms,
    /** Questions put to the authorities, counted at the start of a sentence: "когда", "кто отвечает". */
    authorityQuestion: terms,
    /** Whom a report addresses or blames: "администрация", "УК", "обращение", "заявка". */
    authority: terms,
    /** Where, in everyday words: "возле", "во дворе", "у подъезда", "частный сектор". */
    place: terms,
    /** Where, as an address: "ул.", "по адресу", "д.", "мкр" (house numbers count too). */
    address: terms,
    /** How long or how often: "до сих пор", "который год", "неоднократно". */
    duration: terms,
    /** The register of news reports and of events elsewhere: "сообщает", "по данным", "в США". */
    news: terms,
    /** Announcements of planned works and outages: "будет отключена", "плановое отключение", "приносим извинения". */
    notice: terms,
    /** Personal life and chatter: "люблю", "настроение", "ахаха". */
    personal: terms,
    /** Fiction, films, poems, memories. */
    story: terms,
    /** How letters to an authority open: "Здравствуйте", "Уважаемый", "К Вам обращаются". */
    salutation: terms,
  })
  .strict();

/**
 * The words that carry feeling and intent (`rules/cues.json`): the sentiment lexicon, how thanks,
 * questions and reviews are worded, what makes a message urgent, and the ironic turns that mark
 * sarcasm ("спасибо за очередную яму"). Same term syntax as the topics.
 */
export const cuesSchema = z
  .object({
    version: z.literal(1),
    sentiment: z.object({ negative: terms, positive: terms }).strict(),
    /** Words that strengthen the next one: "очень плохо", "безумно красиво". */
    intensifiers: terms,
    /** Emoji that carry feeling, each list a string of emoji (variation selectors ignored). */
    emoji: z.object({ positive: z.string(), negative: z.string() }).strict(),
    gratitude: terms,
    /** Question words: count when they open a sentence. */
    questionStarts: terms,
    review: terms,
    urgent: terms,
    sarcasm: terms,
    problem: problemCuesSchema,
  })
  .strict();
export type Cues = z.infer<typeof cuesSchema>;

/** The problem cue groups, in the order problem.ts reads them. */
export const PROBLEM_CUES = ['deficiency', 'weak', 'request', 'modal', 'action', 'resolved', 'working', 'authorityQuestion', 'authority', 'place', 'address', 'duration', 'news', 'notice', 'personal', 'story', 'salutation'] as const;
export type ProblemCue = (typeof PROBLEM_CUES)[number];

export type CueKind = 'negative' | 'positive' | 'intensifier' | 'gratitude' | 'question' | 'review' | 'urgent' | 'sarcasm' | ProblemCue;

export interface CueHit {
  kind: CueKind;
  weight: number;
  start: number;
  end: number;
  term: string;
}

/** All cue lists compiled into one matcher. */
export class CueRules {
  private readonly matcher = new TermMatcher<CueKind>();
  private readonly positiveEmoji: Set<number>;
  private readonly negativeEmoji: Set<number>;

  constructor(cues: Cues) {
    const points = (s: string) => new Set([...s].map((ch) => ch.codePointAt(0) as number).filter((cp) => cp !== 0xfe0f));
    this.positiveEmoji = points(cues.emoji.positive);
    this.negativeEmoji = points(cues.emoji.negative);
    const add = (list: readonly string[], kind: CueKind) => list.forEach((t) => this.matcher.add(t, kind));
    add(cues.sentiment.negative, 'negative');
    add(cues.sentiment.positive, 'positive');
    add(cues.intensifiers, 'intensifier');
    add(cues.gratitude, 'gratitude');
    add(cues.questionStarts, 'question');
    add(cues.review, 'review');
    add(cues.urgent, 'urgent');
    add(cues.sarcasm, 'sarcasm');
    for (const kind of PROBLEM_CUES) add(cues.problem[kind], kind);
  }

  /** How many emoji of each feeling a raw text holds, and whether it holds any face or gesture at all. */
  emoji(text: string): { positive: number; negative: number; any: boolean } {
    let positive = 0;
    let negative = 0;
    let any = false;
    for (let i = 0; i < text.length; i++) {
      let cp = text.charCodeAt(i);
      // Emoji sit above U+2600; letters are skipped with one comparison, no string made per char.
      if (cp < 0x2600) continue;
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
        cp = (text.codePointAt(i) as number);
        i++;
      }
      if ((cp >= 0x1f600 && cp <= 0x1f64f) || (cp >= 0x1f900 && cp <= 0x1f9ff)) any = true;
      if (this.positiveEmoji.has(cp)) positive++;
      else if (this.negativeEmoji.has(cp)) negative++;
    }
    return { positive, negative, any };
  }

  match(text: AnalyzedTokens): CueHit[] {
    return this.matcher.match(text).map((h) => ({ kind: h.payload, weight: h.term.weight, start: h.start, end: h.end, term: h.term.source }));
  }
}
