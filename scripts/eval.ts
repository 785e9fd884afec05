/**
 * Measures every classifier on the labelled sets at hand, with fixed splits, so numbers are
 * comparable over time. Each row says what the set is and whether anything was tuned on it.
 *
 *   npm run eval                                   every set (real appeals when the file is there)
 *   npm run eval -- --json                         the same as JSON
 *   npm run eval -- --appeals FILE                 real appeals, JSONL {id, text, category}
 *                                                  (default: ../shared/data/appeals-kursk/appeals.jsonl)
 *   npm run eval -- --learning-curve FILE          JSONL {text, topic} (optional id): train on the first
 *                                                  N as moderators' decisions, score the last fifth
 *   npm run eval -- --learning-curve appeals       the appeals file, mapped to the six groups
 *   npm run eval -- --no-cross                     skip the cross-source sentiment models (slower)
 */
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { loadClassifier, loadRuleFiles } from '../src/roles/rules.js';
import { loadConfig } from '../src/config/config.js';
import { Classifier } from '../src/core/classify/classifier.js';
import { detectLanguage } from '../src/core/classify/language.js';
import { resolveProjectPath } from '../src/paths.js';
import { readCedr } from '../src/training/cedr.js';
import { isTestExample, readLabelledPosts, reportsProblem, type LabelledPost } from '../src/training/examples.js';
import { evaluate, formatReport, type Report } from '../src/training/metrics.js';
import { groupOfCategory, readAppeals, SIX_GROUPS } from '../src/training/appeals.js';
import { learningCurve } from '../src/training/learning-curve.js';
import { rankBodies, ROUTE_PROPOSE_MIN, trainRouteModel } from '../src/core/routing/learned-router.js';
import { trainSentimentModel } from '../src/training/sentiment-model.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const config = loadConfig({});
const rules = loadRuleFiles(config);
const full = loadClassifier(config);
const rulesOnly = loadClassifier({ ...config, TOPIC_MODEL_FILE: '', PROBLEM_MODEL_FILE: '' });
const lexiconOnly = loadClassifier({ ...config, SENTIMENT_MODEL_FILE: '' });
const topicLabels = full.topicIds().filter((id) => !id.includes('.'));
const polarity = ['negative', 'neutral', 'positive'];
const reports: Record<string, Report> = {};
const notes: string[] = [];
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** Macro-F1 with each gold class weighted alike, as on a set with the same number of posts per class. */
function balanced(pairs: readonly { gold: string; predicted: string }[], labels: readonly string[]): number {
  const support = new Map<string, number>();
  for (const p of pairs) support.set(p.gold, (support.get(p.gold) ?? 0) + 1);
  let sum = 0;
  for (const l of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const p of pairs) {
      const w = 1 / (support.get(p.gold) ?? 1);
      if (p.predicted === l && p.gold === l) tp += w;
      else if (p.predicted === l) fp += w;
      else if (p.gold === l) fn += w;
    }
    const pr = tp + fp === 0 ? 0 : tp / (tp + fp);
    const rc = tp + fn === 0 ? 0 : tp / (tp + fn);
    sum += pr + rc === 0 ? 0 : (2 * pr * rc) / (pr + rc);
  }
  return sum / labels.length;
}

// --- Real residents' appeals (measuring only: never trained on, never shipped) -----------------
const appealsFile = arg('--appeals') ?? resolveProjectPath('../shared/data/appeals-kursk/appeals.jsonl');
const appeals = existsSync(appealsFile) ? readAppeals(appealsFile) : [];
const isDev = (id: string) => (createHash('sha1').update(id).digest()[0] as number) % 2 === 0;
if (appeals.length > 0) {
  const six = appeals.map((a) => ({ a, group: groupOfCategory(a.category) })).filter((x): x is typeof x & { group: string } => x.group !== undefined && (SIX_GROUPS as readonly string[]).includes(x.group));
  const out = six.map((x) => ({ ...x, c: full.classify(x.a.text), r: rulesOnly.classify(x.a.text) }));
  const tag = 'real appeals, six groups; rule words read from the dev half, blend chosen on both halves, models never trained on them';
  for (const [part, rows] of [
    ['dev half', out.filter((x) => isDev(x.a.id))],
    ['holdout half', out.filter((x) => !isDev(x.a.id))],
    ['all', out],
  ] as const) {
    const pairs = rows.map((x) => ({ gold: x.group, predicted: x.c.topics[0]?.id ?? 'other' }));
    reports[`topic (top level) / ${part} (${rows.length}) — ${tag}`] = evaluate(pairs, SIX_GROUPS);
    notes.push(`topic (top level), ${part}: balanced macro-F1 ${balanced(pairs, SIX_GROUPS).toFixed(3)} (each group weighted alike); rules only ${balanced(rows.map((x) => ({ gold: x.group, predicted: x.r.topics[0]?.id ?? 'other' })), SIX_GROUPS).toFixed(3)}`);
  }
  notes.push(`alerts: ${pct(out.filter((x) => x.c.alert).length / out.length)} of ${out.length} real complaints in the six groups become alerts`);
  const all = appeals.map((a) => full.classify(a.text));
  notes.push(`alerts: ${pct(all.filter((c) => c.alert).length / all.length)} of all ${all.length} appeals (every category) become alerts; problem reported in ${pct(all.filter((c) => c.problem?.reported).length / all.length)}`);
  const types = new Map<string, number>();
  for (const c of all) types.set(c.type, (types.get(c.type) ?? 0) + 1);
  notes.push(`message type of all appeals: ${[...types.entries()].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${pct(n / all.length)}`).join(', ')}`);
  notes.push(`language of all appeals: ${pct(all.filter((c) => c.language === 'rus').length / all.length)} rus`);
  // Routing: the learned router trained on the dev half's executors as if moderators had routed
  // them (text, the classifier's topic; no region gazetteer here, so no territory), scored on the
  // holdout half. Thrown away after: nothing built from the appeals is kept.
  const routed = appeals.flatMap((a, i) => (a.executor ? [{ text: a.text, topic: all[i]?.subtopic ?? all[i]?.topics[0]?.id ?? 'other', body: a.executor, dev: isDev(a.id) }] : []));
  const routeTrain = routed.filter((r) => r.dev);
  const routeTest = routed.filter((r) => !r.dev);
  const router = trainRouteModel(routeTrain);
  if (router && routeTest.length > 0) {
    const top = routeTest.map((r) => ({ r, best: rankBodies(router, r.text, r.topic, undefined)[0] }));
    const sure = top.filter((x) => (x.best?.p ?? 0) >= ROUTE_PROPOSE_MIN);
    const bodies = new Map<string, number>();
    for (const r of routeTrain) bodies.set(r.body, (bodies.get(r.body) ?? 0) + 1);
    const majority = [...bodies.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    notes.push(
      `routing, learned router alone (trained on the dev half's ${routeTrain.length} appeals and their executors, ${new Set(routed.map((r) => r.body)).size} bodies; scored on the holdout half's ${routeTest.length}): right body ${pct(top.filter((x) => x.best?.bodyId === x.r.body).length / top.length)}; ` +
        `sure enough to propose (p ≥ ${ROUTE_PROPOSE_MIN}) on ${pct(sure.length / top.length)}, right there ${pct(sure.filter((x) => x.best?.bodyId === x.r.body).length / Math.max(1, sure.length))}; the most frequent body alone ${pct(routeTest.filter((r) => r.body === majority).length / routeTest.length)}`,
    );
  }
} else notes.push(`real appeals: ${appealsFile} not found (pass --appeals FILE); their rows are left out`);

// --- Ordinary text: how much of it would become an alert ---------------------------------------
const cedrTest = readCedr(resolveProjectPath('rules/training/cedr/cedr-main-test.csv'));
for (const source of ['lj', 'lenta', 'twitter']) {
  const rows = cedrTest.filter((r) => r.source === source);
  const alerts = rows.filter((r) => full.classify(r.text).alert).length;
  notes.push(`false alerts: ${pct(alerts / rows.length)} of ${rows.length} ordinary ${source} sentences (CEDR test split; the problem model learnt from the train split; problemMin chosen looking at this split)`);
}

// --- Sentiment --------------------------------------------------------------------------------
reports['sentiment / CEDR test (1,709 real sentences; model trained on the train split of the same sources)'] = evaluate(cedrTest.map((r) => ({ gold: r.label, predicted: full.classify(r.text).sentiment.label })), polarity);
reports['sentiment / CEDR test, lexicon only (no model)'] = evaluate(cedrTest.map((r) => ({ gold: r.label, predicted: lexiconOnly.classify(r.text).sentiment.label })), polarity);
if (!process.argv.includes('--no-cross')) {
  // Three throw-away models, each never trained on one of CEDR's sources: the nearest figure here to
  // real posts of a kind the model never saw.
  const cedrTrain = readCedr(resolveProjectPath('rules/training/cedr/cedr-main-train.csv'));
  const posts = ['examples.jsonl', 'reports.jsonl', 'ordinary.jsonl']
    .flatMap((f) => readLabelledPosts(resolveProjectPath(`rules/training/${f}`)).filter((p) => f !== 'examples.jsonl' || !isTestExample(p)))
    .filter((p) => p.sentiment !== undefined)
    .map((p) => ({ text: p.text, label: p.sentiment ?? 'neutral' }));
  const reader = loadClassifier({ ...config, SENTIMENT_MODEL_FILE: '', TOPIC_MODEL_FILE: '', PROBLEM_MODEL_FILE: '' });
  for (const held of ['twitter', 'lj', 'lenta']) {
    const model = trainSentimentModel(
      [
        { name: 'cedr', texts: cedrTrain.filter((r) => r.source !== held), share: 0.35 },
        { name: 'posts', texts: posts, share: 0.65 },
      ],
      (t) => reader.sentimentTrainingFeatures(t),
    );
    const c = new Classifier(rules, { sentiment: model });
    reports[`sentiment / CEDR test, ${held} — a model never trained on ${held}`] = evaluate(
      cedrTest.filter((r) => r.source === held).map((r) => ({ gold: r.label, predicted: c.classify(r.text).sentiment.label })),
      polarity,
    );
  }
}

// --- Language --------------------------------------------------------------------------------
const handset = JSON.parse(readFileSync(resolveProjectPath('test/fixtures/langid/handset.json'), 'utf8')) as Record<string, string[]>;
reports['language / hand-written parallel set (6 × 20)'] = evaluate(Object.entries(handset).flatMap(([code, texts]) => texts.map((t) => ({ gold: code === 'uzn' ? 'uzb' : code, predicted: detectLanguage(t).language }))));
const cedrAll = [...readCedr(resolveProjectPath('rules/training/cedr/cedr-main-train.csv')), ...cedrTest];
const russian = cedrAll.filter((r) => !/[іїєґўәңөұүһқғ]/iu.test(r.text));
reports['language / real Russian sentences (CEDR, rus only)'] = evaluate(russian.map((r) => ({ gold: 'rus', predicted: detectLanguage(r.text).language })), ['rus']);

// --- The project's own sets (written by its authors: they share a vocabulary real posts do not) ----
const read = (f: string) => readLabelledPosts(resolveProjectPath(`rules/training/${f}`), `rules/training/${f}`);
for (const [name, set] of [
  ['examples test split (never trained on; rules tuned looking at it)', read('examples.jsonl').filter(isTestExample)],
  ['VK-style hand set (never trained on)', read('handset.jsonl')],
  ['fresh set (read after measuring)', read('fresh.jsonl')],
  ['second fresh set (written before this version)', read('fresh2.jsonl')],
] as const) {
  const out = set.map((h: LabelledPost) => ({ h, c: full.classify(h.text) }));
  const label = `${name}, ${set.length}`;
  reports[`topic (top level) / ${label}`] = evaluate(out.map(({ h, c }) => ({ gold: h.topic, predicted: c.topics[0]?.id ?? 'other' })), topicLabels);
  reports[`sentiment / ${label}`] = evaluate(out.map(({ h, c }) => ({ gold: h.sentiment ?? 'neutral', predicted: c.sentiment.label })), polarity);
  reports[`message type / ${label}`] = evaluate(out.map(({ h, c }) => ({ gold: h.type ?? 'other', predicted: c.type })));
  reports[`problem reported / ${label}`] = evaluate(out.map(({ h, c }) => ({ gold: String(reportsProblem(h)), predicted: String(c.problem?.reported ?? false) })), ['true', 'false']);
}

// --- Learning curve -----------------------------------------------------------------------------
const curveArg = arg('--learning-curve');
let curve: ReturnType<typeof learningCurve> | undefined;
if (curveArg) {
  const rows =
    curveArg === 'appeals'
      ? appeals.flatMap((a) => {
          const g = groupOfCategory(a.category);
          return g && (SIX_GROUPS as readonly string[]).includes(g) ? [{ text: a.text, topic: g }] : [];
        })
      : readFileSync(curveArg, 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => JSON.parse(l) as { text: string; topic: string });
  const shipped = [...read('examples.jsonl').filter((p) => !isTestExample(p)), ...read('reports.jsonl'), ...read('ordinary.jsonl')];
  const models = { ...(full.models.sentiment ? { sentiment: full.models.sentiment } : {}), ...(full.models.topics ? { topics: full.models.topics } : {}), ...(full.models.problem ? { problem: full.models.problem } : {}) };
  curve = learningCurve({ rules, models, shipped, labels: topicLabels, rows });
}

if (process.argv.includes('--json')) {
  process.stdout.write(JSON.stringify({ reports, notes, ...(curve ? { learningCurve: curve } : {}) }, null, 2) + '\n');
} else {
  for (const n of notes) process.stdout.write(`${n}\n`);
  process.stdout.write('\n');
  for (const [title, r] of Object.entries(reports)) process.stdout.write(formatReport(title, r) + '\n\n');
  if (curve) {
    process.stdout.write(`learning curve (scored on the last ${curve.test} posts of the file, never learnt from)\n  decisions  macro-F1  accuracy  blend (rule weight / model alone)\n`);
    for (const p of curve.points) process.stdout.write(`  ${String(p.decisions).padStart(9)}  ${p.macroF1.toFixed(3).padStart(8)}  ${p.accuracy.toFixed(3).padStart(8)}  ${p.blend ? `${p.blend.ruleWeight} / ${p.blend.modelAloneMin}` : 'shipped'}\n`);
  }
}
