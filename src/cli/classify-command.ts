import { z } from 'zod';
import type { Classifier } from '../core/classify/classifier.js';
import { OtklikError } from '../core/errors.js';

const inputLine = z.object({ id: z.union([z.string(), z.number()]).transform(String), text: z.string(), source: z.string().optional() }).passthrough();

/** One output line of `npm run classify`. */
export interface ClassifyOutput {
  id: string;
  language?: string;
  topics?: { id: string; score: number }[];
  subtopic?: string | null;
  sentiment?: { label: string; score: number };
  type?: string;
  sarcasm?: boolean;
  territory?: string | null;
  alert?: boolean;
  spam?: boolean;
  noise?: string[];
  priority?: string;
  explain?: string[];
  error?: { code: string; message: string };
}

/**
 * Classifies one JSONL line. A line that is not JSON or lacks `id`/`text` gives an error line with
 * the line number instead of stopping the run: analysts feed it whatever they have.
 */
export function classifyLine(line: string, lineNo: number, classifier: Classifier, territoryOf: (source: string | undefined) => string | undefined): ClassifyOutput | undefined {
  if (line.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (e) {
    return { id: `line-${lineNo}`, error: { code: 'CLASSIFY_INPUT_INVALID', message: `line ${lineNo}: not JSON (${(e as Error).message})` } };
  }
  const parsed = inputLine.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const err = new OtklikError('CLASSIFY_INPUT_INVALID', `line ${lineNo}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
    return { id: typeof (json as { id?: unknown })?.id === 'string' ? (json as { id: string }).id : `line-${lineNo}`, error: { code: err.code, message: err.message } };
  }
  const p = parsed.data;
  const territory = territoryOf(p.source);
  const c = classifier.classify(p.text, territory === undefined ? {} : { territory });
  return {
    id: p.id,
    language: c.language ?? 'und',
    topics: c.topics,
    subtopic: c.subtopic ?? null,
    sentiment: c.sentiment,
    type: c.type,
    sarcasm: c.sarcasm ?? false,
    territory: c.territory ?? null,
    alert: c.alert,
    spam: c.spam,
    noise: c.noise ?? [],
    priority: c.priority,
    explain: c.explain,
  };
}
