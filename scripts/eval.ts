/**
 * Measures every classifier on the labelled sets the project has, with fixed splits, so numbers
 * are comparable over time.
 *
 *   npm run eval            text report
 *   npm run eval -- --json  the same as JSON
 */
import { readFileSync } from 'node:fs';
import { loadClassifier } from '../src/roles/rules.js';
import { loadConfig } from '../src/config/config.js';
import { combineSentiment } from '../src/core/classify/sentiment.js';
import { textFeatures } from '../src/core/classify/features.js';
import { detectLanguage } from '../src/core/classify/language.js';
import { naiveBayesModelSchema } from '../src/core/classify/naive-bayes.js';
import { loadJsonRules } from '../src/adapters/files/json-rules.js';
import { resolveProjectPath } from '../src/paths.js';
import { readCedr } from '../src/training/cedr.js';
import { evaluate, formatReport, type Report } from '../src/training/metrics.js';

// The shipped rules and models, as the engine loads them.
const config = loadConfig({});
const model = loadJsonRules(resolveProjectPath(config.SENTIMENT_MODEL_FILE), naiveBayesModelSchema, config.SENTIMENT_MODEL_FILE);
const withModel = loadClassifier(config);
const lexiconOnly = loadClassifier({ ...config, SENTIMENT_MODEL_FILE: '' });

const reports: Record<string, Report> = {};

// Language: the hand-written parallel set, and real Russian sentences (CEDR, both splits) without
// the letters only Ukrainian, Belarusian or Kazakh write (CEDR's twitter part holds some Ukrainian).
const handset = JSON.parse(readFileSync(resolveProjectPath('test/fixtures/langid/handset.json'), 'utf8')) as Record<string, string[]>;
reports['language / hand-written parallel set (6 × 20)'] = evaluate(Object.entries(handset).flatMap(([code, texts]) => texts.map((t) => ({ gold: code === 'uzn' ? 'uzb' : code, predicted: detectLanguage(t).language }))));
const cedrAll = [...readCedr(resolveProjectPath('rules/training/cedr/cedr-main-train.csv')), ...readCedr(resolveProjectPath('rules/training/cedr/cedr-main-test.csv'))];
const russian = cedrAll.filter((r) => !/[іїєґўәңөұүһқғ]/iu.test(r.text));
reports['language / real Russian sentences (CEDR, rus only)'] = evaluate(russian.map((r) => ({ gold: 'rus', predicted: detectLanguage(r.text).language })), ['rus']);

// Sentiment on CEDR's official test split (never seen in training) and on the VK-style hand set.
const cedrTest = readCedr(resolveProjectPath('rules/training/cedr/cedr-main-test.csv'));
const labels = ['negative', 'neutral', 'positive'];
reports['sentiment / CEDR test, model + lexicon'] = evaluate(cedrTest.map((r) => ({ gold: r.label, predicted: withModel.classify(r.text).sentiment.label })), labels);
reports['sentiment / CEDR test, lexicon only'] = evaluate(cedrTest.map((r) => ({ gold: r.label, predicted: lexiconOnly.classify(r.text).sentiment.label })), labels);
reports['sentiment / CEDR test, model only'] = evaluate(cedrTest.map((r) => ({ gold: r.label, predicted: combineSentiment(model, textFeatures(r.text), { negative: 0, positive: 0 }, 1).label })), labels);

const hand = readFileSync(resolveProjectPath('rules/training/handset.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as { text: string; topic: string; sentiment: string; type: string });
const handOut = hand.map((h) => ({ h, c: withModel.classify(h.text), lex: lexiconOnly.classify(h.text) }));
reports['sentiment / VK-style hand set, model + lexicon'] = evaluate(handOut.map(({ h, c }) => ({ gold: h.sentiment, predicted: c.sentiment.label })), labels);
reports['sentiment / VK-style hand set, lexicon only'] = evaluate(handOut.map(({ h, lex }) => ({ gold: h.sentiment, predicted: lex.sentiment.label })), labels);
reports['topic (top level) / VK-style hand set, keyword rules'] = evaluate(handOut.map(({ h, c }) => ({ gold: h.topic, predicted: c.topics[0]?.id ?? 'other' })));
reports['message type / VK-style hand set'] = evaluate(handOut.map(({ h, c }) => ({ gold: h.type, predicted: c.type })));

if (process.argv.includes('--json')) {
  process.stdout.write(JSON.stringify(reports, null, 2) + '\n');
} else {
  for (const [title, r] of Object.entries(reports)) process.stdout.write(formatReport(title, r) + '\n\n');
}
