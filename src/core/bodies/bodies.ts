import { z } from 'zod';
import { OtklikError } from '../errors.js';
import { assertZone, parsePolicy, type ClockSetup, type SlaPolicy } from '../sla/clock.js';
import type { WorkingCalendar } from '../calendar/calendar.js';
import { DEFAULT_SCHEDULE, parseHours, weekdaySchedule, type WorkingSchedule } from '../sla/schedule.js';
import type { Priority } from '../classify/classifier.js';

const policyText = z.string().superRefine((t, ctx) => {
  try {
    parsePolicy(t);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});
const hoursText = z.string().superRefine((t, ctx) => {
  try {
    parseHours(t);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});

const clockPair = z.object({ firstResponse: policyText, finalAnswer: policyText }).strict();

/** An SLA policy set: the clocks for each priority and when warnings fire (fractions of the budget). */
export const slaPolicySetSchema = z
  .object({
    normal: clockPair,
    high: clockPair,
    warnAt: z.array(z.number().gt(0).lt(1)).max(5).default([0.5, 0.8]),
  })
  .strict();

/** Where a body hears about its incidents. Webhooks only over http(s). */
export const notifyTargetsSchema = z
  .object({
    telegramChatId: z.string().regex(/^-?\d+$/, 'a Telegram chat id (digits, "-" for groups and channels)').optional(),
    webhookUrl: z
      .string()
      .max(2000)
      .url()
      .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), 'an http(s) URL')
      .optional(),
  })
  .strict();

export type NotifyTargets = z.infer<typeof notifyTargetsSchema>;

/** Targets set through the API, which replace the rules file's for that body until cleared. */
export interface NotifyOverride {
  targets: NotifyTargets;
  updatedBy: string;
  updatedAt: string;
}

/** The targets in force for a body: the API's override when there is one, else the rules file's. */
export function effectiveNotify(body: Body, override: NotifyOverride | undefined): { targets: NotifyTargets; origin: 'rules' | 'api' } {
  return override ? { targets: override.targets, origin: 'api' } : { targets: body.notify, origin: 'rules' };
}

export const bodySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(1),
    parent: z.string().optional(),
    territory: z.string().min(1).optional(),
    /**
     * The body is the administration of its `territory`: routes to `@administration` send a post to
     * the administration of the place it is about (the nearest territory, walking up, that has one).
     */
    administration: z.boolean().optional(),
    timeZone: z.string().superRefine((zone, ctx) => {
      try {
        assertZone(zone);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
      }
    }),
    calendar: z.string().regex(/^[a-z0-9-]+$/).default('ru'),
    overlays: z.array(z.string().regex(/^[a-z0-9-]+$/)).default([]),
    hours: hoursText.optional(),
    sla: z.string().default('standard'),
    notify: notifyTargetsSchema.default({}),
    /** Name of the credentials (in config, never here) the body's answers are published with. */
    replyCredentials: z.string().regex(/^[A-Z0-9_]+$/).optional(),
  })
  .strict();

export type Body = z.infer<typeof bodySchema>;
export type SlaPolicySet = z.infer<typeof slaPolicySetSchema>;

/** Checks that cross-reference bodies: parents exist, no cycles, SLA sets exist. */
export function checkBodies(bodies: readonly Body[], slaSets: Record<string, unknown>, ctx: z.RefinementCtx, path: (string | number)[]): void {
  const byId = new Map(bodies.map((b) => [b.id, b]));
  bodies.forEach((b, i) => {
    if (bodies.findIndex((x) => x.id === b.id) !== i) ctx.addIssue({ code: 'custom', path: [...path, i, 'id'], message: `duplicate body "${b.id}"` });
    if (b.parent !== undefined && !byId.has(b.parent)) ctx.addIssue({ code: 'custom', path: [...path, i, 'parent'], message: `unknown body "${b.parent}"` });
    if (!(b.sla in slaSets)) ctx.addIssue({ code: 'custom', path: [...path, i, 'sla'], message: `unknown SLA policy set "${b.sla}"` });
    if (b.administration && b.territory === undefined) ctx.addIssue({ code: 'custom', path: [...path, i, 'administration'], message: `"${b.id}" is an administration of no territory: give it a territory` });
    if (b.administration && bodies.some((x, k) => k < i && x.administration && x.territory === b.territory)) {
      ctx.addIssue({ code: 'custom', path: [...path, i, 'administration'], message: `two administrations of "${b.territory ?? ''}"` });
    }
    const seen = new Set<string>([b.id]);
    let p = b.parent;
    while (p !== undefined) {
      if (seen.has(p)) {
        ctx.addIssue({ code: 'custom', path: [...path, i, 'parent'], message: `parent chain of "${b.id}" loops through "${p}"` });
        break;
      }
      seen.add(p);
      p = byId.get(p)?.parent;
    }
  });
}

/** The responsible bodies of a deployment and their hierarchy. */
export class BodyDirectory {
  private readonly byId: ReadonlyMap<string, Body>;
  private readonly schedules = new Map<string, WorkingSchedule>();

  constructor(
    bodies: readonly Body[],
    private readonly slaSets: Readonly<Record<string, SlaPolicySet>>,
  ) {
    this.byId = new Map(bodies.map((b) => [b.id, b]));
  }

  all(): Body[] {
    return [...this.byId.values()];
  }

  get(id: string): Body {
    const b = this.byId.get(id);
    if (!b) throw new OtklikError('BODY_UNKNOWN', `unknown body "${id}"`, { details: { bodyId: id } });
    return b;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Parent, grandparent... (for escalation). */
  ancestors(id: string): Body[] {
    const out: Body[] = [];
    let p = this.get(id).parent;
    while (p !== undefined) {
      const b = this.get(p);
      out.push(b);
      p = b.parent;
    }
    return out;
  }

  /** The body and every body below it (a responder sees these). */
  subtree(id: string): Set<string> {
    const out = new Set<string>([this.get(id).id]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const b of this.byId.values()) {
        if (b.parent !== undefined && out.has(b.parent) && !out.has(b.id)) {
          out.add(b.id);
          grew = true;
        }
      }
    }
    return out;
  }

  /** The key of the calendar (country file plus overlays) a body's clocks run on. */
  calendarKey(id: string): string {
    const b = this.get(id);
    return [b.calendar, ...b.overlays].join('+');
  }

  /** Everything a clock of this body needs, given the loaded calendars by key. */
  clockSetup(id: string, calendars: ReadonlyMap<string, WorkingCalendar>): ClockSetup {
    const calendar = calendars.get(this.calendarKey(id));
    if (!calendar) throw new OtklikError('CALENDAR_INVALID', `calendar "${this.calendarKey(id)}" of body "${id}" is not loaded`);
    return { zone: this.get(id).timeZone, calendar, schedule: this.schedule(id) };
  }

  schedule(id: string): WorkingSchedule {
    let s = this.schedules.get(id);
    if (!s) {
      const hours = this.get(id).hours;
      s = hours === undefined ? DEFAULT_SCHEDULE : weekdaySchedule(parseHours(hours));
      this.schedules.set(id, s);
    }
    return s;
  }

  /** The first-response and final-answer policies of a body for a priority, and its warnings. */
  policies(id: string, priority: Priority): { firstResponse: SlaPolicy; finalAnswer: SlaPolicy; warnAt: number[] } {
    const set = this.slaSets[this.get(id).sla];
    if (!set) throw new OtklikError('BODY_UNKNOWN', `body "${id}" names an unknown SLA policy set`);
    const pair = set[priority];
    return { firstResponse: parsePolicy(pair.firstResponse), finalAnswer: parsePolicy(pair.finalAnswer), warnAt: [...set.warnAt].sort() };
  }
}
