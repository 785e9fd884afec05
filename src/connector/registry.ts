import { z } from 'zod';
import { OtklikError } from '../core/errors.js';
import type { Connector, ConnectorEnvironment, ConnectorFactory, SourceDefinition } from './connector.js';

export const sourceDefinitionSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "-" and "." only'),
    type: z.string().min(1),
    territory: z.string().min(1).optional(),
    /**
     * Over rules/alerts.json for this source: `everyPost` — every post is an appeal (an official
     * feedback channel): actionable whatever its tone or topic; comments are judged as usual.
     */
    alerts: z.object({ everyPost: z.boolean() }).strict().optional(),
    pollIntervalMs: z.number().int().min(10).optional(),
    options: z.unknown().default({}),
  })
  .strict();

export const sourcesFileSchema = z.object({ sources: z.array(sourceDefinitionSchema) }).strict();

/**
 * Turns source definitions into connectors using whichever factories the composition root
 * registered. The core knows no platform: adding one is adding a factory.
 */
export class ConnectorRegistry {
  private readonly factories = new Map<string, ConnectorFactory>();

  constructor(factories: readonly ConnectorFactory[]) {
    for (const f of factories) this.factories.set(f.type, f);
  }

  types(): string[] {
    return [...this.factories.keys()].sort();
  }

  /** Builds every source or throws one error listing every problem (file named by `origin`). */
  build(defs: readonly SourceDefinition[], env: ConnectorEnvironment, origin: string): Connector[] {
    const problems: string[] = [];
    const connectors: Connector[] = [];
    const seen = new Set<string>();
    defs.forEach((def, i) => {
      const where = `${origin}: sources[${i}] (${def.id})`;
      if (seen.has(def.id)) problems.push(`${where}: duplicate source id`);
      seen.add(def.id);
      const factory = this.factories.get(def.type);
      if (!factory) {
        problems.push(`${where}: unknown source type "${def.type}" (known: ${this.types().join(', ')})`);
        return;
      }
      const options = factory.optionsSchema.safeParse(def.options);
      if (!options.success) {
        for (const issue of options.error.issues) {
          problems.push(`${where}: options.${issue.path.join('.')}: ${issue.message}`);
        }
        return;
      }
      connectors.push(factory.create({ ...def, options: options.data }, env));
    });
    if (problems.length > 0) {
      const unknownType = problems.some((p) => p.includes('unknown source type'));
      throw new OtklikError(
        unknownType ? 'SOURCE_UNKNOWN_TYPE' : 'SOURCE_CONFIG_INVALID',
        `Invalid sources:\n  - ${problems.join('\n  - ')}`,
        { details: { origin, problems } },
      );
    }
    return connectors;
  }
}

/** Parses a sources file's JSON text, naming the file and the key on failure. */
export function parseSourcesFile(text: string, origin: string): SourceDefinition[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new OtklikError('SOURCE_CONFIG_INVALID', `${origin}: not valid JSON: ${(e as Error).message}`, {
      details: { origin },
    });
  }
  const parsed = sourcesFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${origin}: ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new OtklikError('SOURCE_CONFIG_INVALID', `Invalid sources:\n  - ${problems.join('\n  - ')}`, {
      details: { origin, problems },
    });
  }
  return parsed.data.sources.map((s) => ({ ...s, options: s.options ?? {} }));
}
