import { z } from 'zod';
import type { Classifier } from '../core/classify/classifier.js';
import type { Router } from '../core/routing/router.js';
import type { BodyDirectory } from '../core/bodies/bodies.js';

const inputLine = z.object({ id: z.union([z.string(), z.number()]).transform(String), text: z.string(), source: z.string().optional() }).passthrough();

/** One output line of `npm run route`. */
export interface RouteOutput {
  id: string;
  /** The body the engine would propose; null when the line could not be read. */
  body: string | null;
  bodyName?: string;
  /** No route matched: the fallback body. */
  fallback: boolean;
  topic?: string;
  territory?: string | null;
  /** Would the engine raise an alert for it (only alerts are routed in the engine)? */
  alert?: boolean;
  explain: string[];
  error?: { code: string; message: string };
}

/**
 * Routes one JSONL line as the engine would: classify (topic inside its group, territory from the
 * text or the source), then the route table. A bad line gives an error line, not a stop.
 */
export function routeLine(line: string, lineNo: number, d: { classifier: Classifier; router: Router; bodies: BodyDirectory; territoryOf: (source: string | undefined) => string | undefined }): RouteOutput | undefined {
  if (line.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (e) {
    return { id: `line-${lineNo}`, body: null, fallback: false, explain: [], error: { code: 'CLASSIFY_INPUT_INVALID', message: `line ${lineNo}: not JSON (${(e as Error).message})` } };
  }
  const parsed = inputLine.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { id: `line-${lineNo}`, body: null, fallback: false, explain: [], error: { code: 'CLASSIFY_INPUT_INVALID', message: `line ${lineNo}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` } };
  }
  const p = parsed.data;
  const sourceTerritory = d.territoryOf(p.source);
  const c = d.classifier.classify(p.text, sourceTerritory === undefined ? {} : { territory: sourceTerritory });
  const topic = c.subtopic ?? c.topics[0]?.id ?? 'other';
  const territory = c.territory ?? sourceTerritory;
  const decision = d.router.route(topic, territory, p.text);
  return {
    id: p.id,
    body: decision.bodyId,
    ...(d.bodies.has(decision.bodyId) ? { bodyName: d.bodies.get(decision.bodyId).name } : {}),
    fallback: decision.fallback === true,
    topic,
    territory: territory ?? null,
    alert: c.alert,
    explain: [decision.reason, ...c.explain.filter((e) => e.startsWith('territory') || e.startsWith('topic'))],
  };
}
