/**
 * `npm run -s classify < posts.jsonl > out.jsonl`: one JSONL line in (`{"id","text","source"}`),
 * one line out with language, ranked topics, sentiment, type, territory, alert and the explanation.
 * Uses the same rules and models as the engine (TOPICS_FILE, SENTIMENT_MODEL_FILE, SOURCES_FILE for
 * the territory of each source).
 */
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/config.js';
import { KeywordClassifier } from '../core/classify/classifier.js';
import { topicRulesSchema } from '../core/classify/rules.js';
import { naiveBayesModelSchema } from '../core/classify/naive-bayes.js';
import { isOtklikError } from '../core/errors.js';
import { loadJsonRules } from '../adapters/files/json-rules.js';
import { parseSourcesFile } from '../connector/registry.js';
import { resolveProjectPath } from '../paths.js';
import { DEFAULT_SOURCES_FILE } from '../roles/sources.js';
import { classifyLine } from './classify-command.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const rules = loadJsonRules(resolveProjectPath(config.TOPICS_FILE), topicRulesSchema, config.TOPICS_FILE);
  const sentiment = config.SENTIMENT_MODEL_FILE ? loadJsonRules(resolveProjectPath(config.SENTIMENT_MODEL_FILE), naiveBayesModelSchema, config.SENTIMENT_MODEL_FILE) : undefined;
  const classifier = new KeywordClassifier(rules, sentiment ? { sentiment } : {});
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
