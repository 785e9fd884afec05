import type { Incident } from '../core/incident/incident.js';
import type { IncidentNotification, SpikeNotice } from '../ports/notifications.js';
import { localDateTime, zoneLabel } from '../reports/labels.js';

const TITLES: Record<IncidentNotification['event'], string> = {
  routed: 'Новый инцидент',
  warning: 'Срок ответа истекает',
  breach: 'Срок ответа нарушен',
  reroute: 'Инцидент перенаправлен',
  reopen: 'Инцидент открыт повторно',
  review: 'Ответ ждёт проверки',
  returned: 'Ответ возвращён на доработку',
};

/** How people are told things: topics and bodies by their names, times in a zone they know. */
export interface NoticeWords {
  topicName: (id: string) => string;
  bodyName: (id: string) => string;
  /** The zone of the receiving body (its own time), or the control centre's for moderators. */
  zoneOf: (bodyId: string | undefined) => string;
}

/** Ids and UTC, for tests and tools that have no rules at hand. */
export const PLAIN_WORDS: NoticeWords = { topicName: (id) => id, bodyName: (id) => id, zoneOf: () => 'Europe/Moscow' };

const when = (iso: string, zone: string) => `${localDateTime(iso, zone)} (${zoneLabel(zone, new Date(iso))})`;

/** A short Russian message for people, plus the machine-readable payload for webhooks. */
export function notificationPayload(job: IncidentNotification, incident: Incident | undefined, words: NoticeWords = PLAIN_WORDS): { text: string; body: Record<string, unknown> } {
  const clock = incident?.clocks.find((c) => c.id === job.clockId) ?? incident?.clocks.find((c) => c.stoppedAt === undefined);
  const zone = words.zoneOf(incident?.bodyId);
  const lines = [
    `${TITLES[job.event]}: ${job.incidentId}`,
    incident ? `Тема: ${words.topicName(incident.subtopic ?? incident.topic)}${incident.territory ? `, ${incident.territory}` : ''}; приоритет: ${incident.priority === 'high' ? 'высокий' : 'обычный'}` : '',
    incident?.bodyId ? `Ответственный: ${words.bodyName(incident.bodyId)}` : '',
    clock?.dueAt ? `Срок: ${when(clock.dueAt, zone)}${clock.provisional ? ' (предварительно)' : ''}` : '',
    job.event === 'review' && incident?.review ? `Ответ: ${incident.review.text.slice(0, 300)}` : '',
    job.event === 'returned' && incident?.returns?.length ? `Что доработать: ${incident.returns[incident.returns.length - 1]?.remark ?? ''}` : '',
    incident?.permalink ?? '',
  ].filter((l) => l !== '');
  return {
    text: lines.join('\n'),
    body: {
      event: job.event,
      incidentId: job.incidentId,
      version: job.version,
      status: incident?.status,
      topic: incident?.topic,
      bodyId: incident?.bodyId,
      priority: incident?.priority,
      clock: clock ? { id: clock.id, kind: clock.kind, dueAt: clock.dueAt, breachedAt: clock.breachedAt } : undefined,
      permalink: incident?.permalink,
    },
  };
}

/** A surge, for the moderators: what rose where, against its usual range, with the words and posts behind it. */
export function spikePayload(s: SpikeNotice, words: NoticeWords = PLAIN_WORDS): { text: string; body: Record<string, unknown> } {
  const lines = [
    `Всплеск ${s.kind === 'alerts' ? 'оповещений' : 'постов'}: ${words.topicName(s.topic)}, ${s.territory}`,
    `${s.count} за час с ${when(s.hour, words.zoneOf(undefined))} (обычно ${s.range[0]}–${s.range[1]})`,
    s.rising.length > 0 ? `Чаще обычного: ${s.rising.slice(0, 8).join(', ')}` : '',
    ...s.top.slice(0, 3).map((p) => `— ${p.text.slice(0, 160)}`),
  ].filter((l) => l !== '');
  return { text: lines.join('\n'), body: { event: 'spike', spike: s } };
}
