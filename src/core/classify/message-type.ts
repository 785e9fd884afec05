import type { MessageType } from './classification.js';
import type { Sentiment } from './sentiment.js';

/** What kind of message a post is, from the cues, the tone and whether it reports a problem. */
export function messageType(p: { gratitude: boolean; review: boolean; question: boolean; urgent: boolean; topical: boolean; label: Sentiment; negativeCues: number; problem: boolean; reportsNothing?: boolean }): MessageType {
  if (p.gratitude && p.label !== 'negative' && !p.problem) return 'gratitude';
  // "Когда уберут снег?" asks; "Сколько можно терпеть этот бардак?" complains: the words decide.
  if (p.question && p.negativeCues < 1) return 'question';
  // Reporting a problem is complaining, however calm the words: "Отсутствует освещение у дома 7".
  if (p.problem) return 'complaint';
  // "Светофор снова работает" says a thing works, "будет отключена горячая вода" announces works:
  // no complaint, whatever tone the model hears in them.
  const complains = p.topical && p.reportsNothing !== true;
  if (complains && (p.label === 'negative' || (p.urgent && !p.question))) return 'complaint';
  if (p.question) return 'question';
  if (p.gratitude) return 'gratitude';
  if (p.review || (p.topical && p.label === 'positive')) return 'review';
  if (complains && p.negativeCues > 0) return 'complaint';
  return 'other';
}
