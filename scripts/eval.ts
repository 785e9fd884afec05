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
import { textFeatures, topicFeatures } from '../src/core/classify/features.js';
import { detectLanguage } from '../src/core/classify/language.js';
import { naiveBayesModelSchema } from '../src/core/classify/naive-bayes.js';
import { loadJsonRules } from '../src/adapters/files/json-rules.js';
import { resolveProjectPath } from '../src/paths.js';
import { readCedr } from '../src/training/cedr.js';
import { isTestExample, readLabelledPosts } from '../src/training/examples.js';
import { predictNaiveBayes } from '../src/core/classify/naive-bayes.js';
import { evaluate, formatReport, type Report } from '../src/training/metrics.js';

// The shipped rules and models, as the engine loads them.
const config = loadConfig({});
const model = loadJsonRules(resolveProjectPath(config.SENTIMENT_MODEL_FILE), naiveBayesModelSchema, config.SENTIMENT_MODEL_FILE);
const withModel = loadClassifier(config);
const lexiconOnly = loadClassifier({ ...config, SENTIMENT_MODEL_FILE: '' });
const bestLabel = (ps: { label: string; p: number }[]) => ps.reduce((a, b) => (b.p > a.p ? b : a)).label;

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

// The project's labelled posts: the test part of the fixed split (never trained on) and the hand
// set written before the rules and the model (never trained on, never tuned against).
const examples = readLabelledPosts(resolveProjectPath('rules/training/examples.jsonl'), 'rules/training/examples.jsonl').filter(isTestExample);
const hand = readLabelledPosts(resolveProjectPath('rules/training/handset.jsonl'), 'rules/training/handset.jsonl');
// Written after the rules and the model were tuned, and measured once: the least flattering sets.
// The first was read after its measurement (rules were mended from its errors); the second was
// written after those mends and is the one still unseen.
const fresh = readLabelledPosts(resolveProjectPath('rules/training/fresh.jsonl'), 'rules/training/fresh.jsonl');
const fresh2 = readLabelledPosts(resolveProjectPath('rules/training/fresh2.jsonl'), 'rules/training/fresh2.jsonl');
const rulesOnly = loadClassifier({ ...config, TOPIC_MODEL_FILE: '' });
const topicModel = loadJsonRules(resolveProjectPath(config.TOPIC_MODEL_FILE), naiveBayesModelSchema, config.TOPIC_MODEL_FILE);
const topicLabels = rulesOnly.topicIds().filter((id) => !id.includes('.'));
for (const [name, set] of [
  [`examples test split (${examples.length})`, examples],
  [`VK-style hand set (${hand.length})`, hand],
  [`fresh set (${fresh.length})`, fresh],
  [`second fresh set (${fresh2.length})`, fresh2],
] as const) {
  const out = set.map((h) => ({ h, c: withModel.classify(h.text), r: rulesOnly.classify(h.text), lex: lexiconOnly.classify(h.text) }));
  reports[`topic (top level) / ${name}, rules + model`] = evaluate(out.map(({ h, c }) => ({ gold: h.topic, predicted: c.topics[0]?.id ?? 'other' })), topicLabels);
  reports[`topic (top level) / ${name}, rules only`] = evaluate(out.map(({ h, r }) => ({ gold: h.topic, predicted: r.topics[0]?.id ?? 'other' })), topicLabels);
  reports[`topic (top level) / ${name}, model only`] = evaluate(set.map((h) => ({ gold: h.topic, predicted: bestLabel(predictNaiveBayes(topicModel, topicFeatures(h.text)).probabilities) })), topicLabels);
  const withSub = out.filter(({ h }) => h.subtopic !== undefined);
  if (withSub.length > 0) reports[`topic (second level) / ${name}, rules + model`] = evaluate(withSub.map(({ h, c }) => ({ gold: h.subtopic ?? '', predicted: c.subtopic ?? c.topics[0]?.id ?? 'other' })));
  reports[`sentiment / ${name}, model + lexicon`] = evaluate(out.map(({ h, c }) => ({ gold: h.sentiment ?? 'neutral', predicted: c.sentiment.label })), labels);
  reports[`sentiment / ${name}, lexicon only`] = evaluate(out.map(({ h, lex }) => ({ gold: h.sentiment ?? 'neutral', predicted: lex.sentiment.label })), labels);
  reports[`message type / ${name}`] = evaluate(out.map(({ h, c }) => ({ gold: h.type ?? 'other', predicted: c.type })));
  reports[`alert (complaint or question in a topic) / ${name}`] = evaluate(
    out.map(({ h, c }) => ({ gold: String(h.topic !== 'other' && (h.type === 'complaint' || h.type === 'question' || h.sentiment === 'negative')), predicted: String(c.alert) })),
    ['true', 'false'],
  );
}

if (process.argv.includes('--json')) {
  process.stdout.write(JSON.stringify(reports, null, 2) + '\n');
} else {
  for (const [title, r] of Object.entries(reports)) process.stdout.write(formatReport(title, r) + '\n\n');
}
