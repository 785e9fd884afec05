/**
 * `npm run -s classify < posts.jsonl > out.jsonl`: one JSONL line in (`{"id","text","source"}`),
 * one line out with language, ranked topics, sentiment, type, territory, alert and the explanation.
 * Uses the same rules and models as the engine (TOPICS_FILE, SENTIMENT_MODEL_FILE, SOURCES_FILE for
 * the territory of each source).
 */
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/config.js';
import { isOtklikError } from '../core/errors.js';
import { parseSourcesFile } from '../connector/registry.js';
import { resolveProjectPath } from '../paths.js';
import { DEFAULT_SOURCES_FILE } from '../roles/sources.js';
import { loadClassifier } from '../roles/rules.js';
import { classifyLine } from './classify-command.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const classifier = loadClassifier(config);
  const sourcesFile = config.SOURCES_FILE ?? DEFAULT_SOURCES_FILE;
  const territories = new Map(parseSourcesFile(readFileSync(resolveProjectPath(sourcesFile), 'utf8'), sourcesFile).flatMap((s) => (s.territory ? [[s.id, s.territory] as const] : [])));
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const line of lines) {
    const out = classifyLine(line, ++n, classifier, (source) => (source ? territories.get(source) : undefined));
    if (out && !process.stdout.write(JSON.stringify(out) + '\n')) await new Promise((r) => process.stdout.once('drain', r));
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`classify: ${isOtklikError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
});
