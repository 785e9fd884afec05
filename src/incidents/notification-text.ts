import type { Incident } from '../core/incident/incident.js';
import type { IncidentNotification, SpikeNotice } from '../ports/notifications.js';

const TITLES: Record<IncidentNotification['event'], string> = {
  routed: 'Новый инцидент',
  warning: 'Срок ответа истекает',
  breach: 'Срок ответа нарушен',
  reroute: 'Инцидент перенаправлен',
  reopen: 'Инцидент открыт повторно',
};

/** A short Russian message for people, plus the machine-readable payload for webhooks. */
export function notificationPayload(job: IncidentNotification, incident: Incident | undefined): { text: string; body: Record<string, unknown> } {
  const clock = incident?.clocks.find((c) => c.id === job.clockId) ?? incident?.clocks.find((c) => c.stoppedAt === undefined);
  const lines = [
    `${TITLES[job.event]}: ${job.incidentId}`,
    incident ? `Тема: ${incident.topic}${incident.territory ? `, ${incident.territory}` : ''}; приоритет: ${incident.priority === 'high' ? 'высокий' : 'обычный'}` : '',
    incident?.bodyId ? `Ответственный: ${incident.bodyId}` : '',
    clock?.dueAt ? `Срок: ${clock.dueAt}${clock.provisional ? ' (предварительно)' : ''}` : '',
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
export function spikePayload(s: SpikeNotice): { text: string; body: Record<string, unknown> } {
  const lines = [
    `Всплеск ${s.kind === 'alerts' ? 'оповещений' : 'постов'}: ${s.topic}, ${s.territory}`,
    `${s.count} за час с ${s.hour} (обычно ${s.range[0]}–${s.range[1]})`,
    s.rising.length > 0 ? `Чаще обычного: ${s.rising.slice(0, 8).join(', ')}` : '',
    ...s.top.slice(0, 3).map((p) => `— ${p.text.slice(0, 160)}`),
  ].filter((l) => l !== '');
  return { text: lines.join('\n'), body: { event: 'spike', spike: s } };
}
