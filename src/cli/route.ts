/**
 * `npm run -s route < posts.jsonl > out.jsonl`: one JSONL line in (`{"id","text","source"}`), one
 * line out with the body the engine would propose (`body`, `fallback`) and why (`explain`), using
 * the rules in force (`RULES_DIR` selects another rules folder; SOURCES_FILE the sources' territories).
 */
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/config.js';
import { isOtklikError } from '../core/errors.js';
import { parseSourcesFile } from '../connector/registry.js';
import { resolveProjectPath } from '../paths.js';
import { DEFAULT_SOURCES_FILE } from '../roles/sources.js';
import { loadRules } from '../roles/rules.js';
import { routeLine } from './route-command.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const rules = loadRules(config);
  const sourcesFile = config.SOURCES_FILE ?? (config.RULES_DIR ? `${config.RULES_DIR}/sources.json` : DEFAULT_SOURCES_FILE);
  let territories = new Map<string, string>();
  try {
    territories = new Map(parseSourcesFile(readFileSync(resolveProjectPath(sourcesFile), 'utf8'), sourcesFile).flatMap((s) => (s.territory ? [[s.id, s.territory] as const] : [])));
  } catch (e) {
    if (!(e instanceof Error && 'code' in e && e.code === 'ENOENT')) throw e;
  }
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const line of lines) {
    const out = routeLine(line, ++n, { classifier: rules.classifier, router: rules.router, bodies: rules.bodies, territoryOf: (s) => (s ? territories.get(s) : undefined) });
    if (out && !process.stdout.write(JSON.stringify(out) + '\n')) await new Promise((r) => process.stdout.once('drain', r));
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`route: ${isOtklikError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
});
