import type { Incident } from '../core/incident/incident.js';
import type { NotificationJob } from '../ports/notifications.js';

const TITLES: Record<NotificationJob['event'], string> = {
  routed: 'Новый инцидент',
  warning: 'Срок ответа истекает',
  breach: 'Срок ответа нарушен',
  reroute: 'Инцидент перенаправлен',
  reopen: 'Инцидент открыт повторно',
};

/** A short Russian message for people, plus the machine-readable payload for webhooks. */
export function notificationPayload(job: NotificationJob, incident: Incident | undefined): { text: string; body: Record<string, unknown> } {
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
