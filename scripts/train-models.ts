/**
 * Trains the shipped models from the labelled sets in rules/training/ and writes rules/models/.
 * Deterministic: the same data gives the same files, so a diff shows what a retraining changed.
 *
 *   npm run train                              shipped sets (+ rules/training/moderated.jsonl if present)
 *   npm run train -- --labels decisions.jsonl  also moderators' decisions (npm run labels:export);
 *                                              lines with a `body` (and optional `territory`) are
 *                                              routing decisions: the router model learns from them
 *   npm run train -- --blend 0.6,0.5           the topic blend (rule weight, model-alone minimum);
 *                                              without it the current model's blend is kept
 *
 * The models learn from the train part of the fixed split of examples.jsonl only, so `npm run
 * eval` measures them on posts they never saw; reports.jsonl and ordinary.jsonl (written in the
 * register of real appeals and of ordinary posts) and moderators' decisions all go to training.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { trainTopicModel } from '../src/training/topic-model.js';
import { trainProblemModel } from '../src/training/problem-model.js';
import { SENTIMENT_CEDR_SHARE, trainSentimentModel } from '../src/training/sentiment-model.js';
import { linearModelSchema } from '../src/core/classify/linear-model.js';
import { Classifier, DEFAULT_BLEND, type TopicBlend } from '../src/core/classify/classifier.js';
import { readCedr } from '../src/training/cedr.js';
import { isTestExample, readLabelledPosts, type LabelledPost } from '../src/training/examples.js';
import { loadClassifier, loadRuleFiles, loadRules } from '../src/roles/rules.js';
import { trainRouteModel } from '../src/core/routing/learned-router.js';
import { loadConfig } from '../src/config/config.js';
import { resolveProjectPath } from '../src/paths.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const extra = arg('--labels');

const cedrTrain = readCedr(resolveProjectPath('rules/training/cedr/cedr-main-train.csv'));
const read = (name: string) => readLabelledPosts(resolveProjectPath(`rules/training/${name}`), `rules/training/${name}`);
// The project's examples, train part only: eval measures the models on the rest.
const examples = read('examples.jsonl').filter((p) => !isTestExample(p));

// Topics and problems: the project's own posts (examples' train part, reports, ordinary posts),
// moderators' decisions, and for problems CEDR's sentences as ordinary text. Nothing else.
const shipped: LabelledPost[] = [...examples, ...read('reports.jsonl'), ...read('ordinary.jsonl')];
const moderatedFile = resolveProjectPath('rules/training/moderated.jsonl');
const moderated: LabelledPost[] = [
  ...(existsSync(moderatedFile) ? readLabelledPosts(moderatedFile, 'rules/training/moderated.jsonl') : []),
  ...(extra ? readLabelledPosts(extra) : []),
];
const config = loadConfig({});
const rulesOnly = loadClassifier({ ...config, TOPIC_MODEL_FILE: '', PROBLEM_MODEL_FILE: '', SENTIMENT_MODEL_FILE: '' });
const labels = rulesOnly.topicIds().filter((id) => !id.includes('.'));
const topicsOut = resolveProjectPath('rules/models/topics.json');
const blendArg = arg('--blend');
let blend: TopicBlend = DEFAULT_BLEND;
if (blendArg) {
  const [ruleWeight, modelAloneMin] = blendArg.split(',').map(Number);
  blend = { ruleWeight: ruleWeight ?? DEFAULT_BLEND.ruleWeight, modelAloneMin: modelAloneMin ?? DEFAULT_BLEND.modelAloneMin };
} else if (existsSync(topicsOut)) {
  const current = linearModelSchema.safeParse(JSON.parse(readFileSync(topicsOut, 'utf8')));
  if (current.success && current.data.blend) blend = current.data.blend;
}
const topics = trainTopicModel(shipped, moderated, labels, { blend });
writeFileSync(topicsOut, JSON.stringify(topics) + '\n');
process.stdout.write(`topics: ${Object.keys(topics.weights).length} features from ${shipped.length} posts and ${moderated.length} moderators' decisions, temperature ${topics.temperature}, blend ${JSON.stringify(blend)} → ${topicsOut}\n`);

// Sentiment: CEDR's sentences (informal and news prose) and the project's posts with a polarity
// (social-media posts and their complaint vocabulary, which CEDR lacks), half and half
// (SENTIMENT_CEDR_SHARE: how it was chosen is said there).
const sentiment = trainSentimentModel(
  [
    { name: 'CEDR main train split as polarity', texts: cedrTrain, share: SENTIMENT_CEDR_SHARE },
    { name: 'project posts with a sentiment label', texts: shipped.filter((p) => p.sentiment !== undefined).map((p) => ({ text: p.text, label: p.sentiment ?? 'neutral' })), share: 1 - SENTIMENT_CEDR_SHARE },
  ],
  (text) => rulesOnly.sentimentTrainingFeatures(text),
);
const sentimentOut = resolveProjectPath('rules/models/sentiment.json');
writeFileSync(sentimentOut, JSON.stringify(sentiment) + '\n');
process.stdout.write(`sentiment: ${Object.keys(sentiment.weights).length} features, temperature ${sentiment.temperature} → ${sentimentOut}\n`);

// The problem model reads what the classifier sees with the new topic and sentiment models in place.
const withTopics = new Classifier(loadRuleFiles(config), { topics, sentiment });
const problem = trainProblemModel(
  { labelled: shipped, ordinary: cedrTrain.map((r) => r.text), decisions: moderated.filter((p) => p.problem !== undefined).map((p) => ({ text: p.text, problem: p.problem === true })) },
  (text) => withTopics.problemTrainingFeatures(text),
);
const problemOut = resolveProjectPath('rules/models/problem.json');
writeFileSync(problemOut, JSON.stringify(problem) + '\n');
process.stdout.write(`problem: ${Object.keys(problem.weights).length} features, temperature ${problem.temperature} → ${problemOut}\n`);

// The router: routing decisions (labelled posts with a body) of the region's moderators. Without
// any, the router model in place (if the set-up ships one) is left as it is.
const routing = moderated.filter((p) => p.body !== undefined);
if (routing.length > 0) {
  const loaded = loadRules(config);
  const unknown = [...new Set(routing.map((p) => p.body as string).filter((b) => !loaded.bodies.has(b)))];
  if (unknown.length > 0) {
    process.stderr.write(`routing decisions name bodies ${config.ROUTING_FILE} does not define: ${unknown.join(', ')}\n`);
    process.exit(2);
  }
  const router = trainRouteModel(
    routing.map((p) => ({ text: p.text, topic: p.subtopic ?? p.topic, body: p.body as string, ...(p.territory ? { territory: p.territory } : {}) })),
    { tree: loaded.territories },
  );
  const routerOut = resolveProjectPath(config.ROUTER_MODEL_FILE);
  if (router) {
    writeFileSync(routerOut, JSON.stringify(router) + '\n');
    process.stdout.write(`router: ${Object.keys(router.weights).length} features from ${routing.length} routing decisions over ${router.labels.length} bodies → ${routerOut}\n`);
  } else process.stdout.write(`router: ${routing.length} routing decisions, but fewer than two bodies with enough of them: no router model written\n`);
}
