import { z } from 'zod';

/**
 * What the console offers so a moderator or responder does not type the same words all day: preset
 * reasons for rejecting an alert, and answer templates (for every body or for some). Kept in
 * `rules/presets.json`; admins may replace them through the API.
 */
const templateSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,60}$/),
    title: z.string().trim().min(1).max(100),
    kind: z.enum(['interim', 'final']),
    /** `{исполнитель}` becomes the body's name and `{срок}` the running deadline, in the console. */
    text: z.string().trim().min(1).max(4000),
    /** The bodies that may use it; absent for every body. */
    bodies: z.array(z.string().min(1).max(100)).min(1).max(500).optional(),
  })
  .strict();

const presetFields = {
  rejectReasons: z.array(z.string().trim().min(3).max(200)).max(30),
  answerTemplates: z.array(templateSchema).max(200),
};

function uniqueTemplates(p: { answerTemplates: { id: string }[] }, ctx: z.RefinementCtx): void {
  const ids = new Set<string>();
  p.answerTemplates.forEach((t, i) => {
    if (ids.has(t.id)) ctx.addIssue({ code: 'custom', path: ['answerTemplates', i, 'id'], message: `duplicate template "${t.id}"` });
    ids.add(t.id);
  });
}

/** What the API takes and gives. */
export const presetsSchema = z.object(presetFields).strict().superRefine(uniqueTemplates);
/** `rules/presets.json`. */
export const presetsFileSchema = z.object({ version: z.literal(1), ...presetFields }).strict().superRefine(uniqueTemplates);

export type Presets = z.infer<typeof presetsSchema>;
export type AnswerTemplate = Presets['answerTemplates'][number];

/** Templates that name bodies the engine does not know (empty when fine). */
export function presetProblems(p: Presets, knownBody: (id: string) => boolean): string[] {
  const out: string[] = [];
  p.answerTemplates.forEach((t, i) => (t.bodies ?? []).forEach((b, k) => knownBody(b) || out.push(`answerTemplates.${i}.bodies.${k}: unknown body "${b}"`)));
  return out;
}

/** The templates a body may use: its own and everyone's. */
export function templatesFor(p: Presets, bodyId: string | undefined): AnswerTemplate[] {
  return p.answerTemplates.filter((t) => t.bodies === undefined || (bodyId !== undefined && t.bodies.includes(bodyId)));
}

/**
 * The presets with body-specific templates kept to the bodies the engine knows: a template for
 * bodies of another region's routing file is left out (and said), not a reason to refuse to start.
 */
export function forKnownBodies(p: Presets, knownBody: (id: string) => boolean): { presets: Presets; dropped: string[] } {
  const dropped: string[] = [];
  const answerTemplates: AnswerTemplate[] = [];
  for (const t of p.answerTemplates) {
    if (t.bodies === undefined) {
      answerTemplates.push(t);
      continue;
    }
    const bodies = t.bodies.filter((b) => knownBody(b));
    if (bodies.length < t.bodies.length) dropped.push(`${t.id}: ${t.bodies.filter((b) => !knownBody(b)).join(', ')}`);
    if (bodies.length > 0) answerTemplates.push({ ...t, bodies });
  }
  return { presets: { ...p, answerTemplates }, dropped };
}
