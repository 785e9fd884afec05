import { groupOf } from '../core/classify/taxonomy.js';
import { createHash } from 'node:crypto';
import { Classifier, DEFAULT_BLEND, type ClassifierModels, type ClassifierRules, type TopicBlend } from '../core/classify/classifier.js';
import type { LinearModel } from '../core/classify/linear-model.js';
import { knowsTopic, rankBodies, trainRouteModel, type RoutingLabel } from '../core/routing/learned-router.js';
import type { TerritoryTree } from '../core/routing/router.js';
import { evaluate } from './metrics.js';
import { trainTopicModel } from './topic-model.js';
import { trainProblemModel } from './problem-model.js';
import type { LabelledPost } from './examples.js';
import { round3 } from '../core/numbers.js';

/** One moderator's verdict on a post: its topic (accepted or reclassified), or not a problem (rejected as noise). */
export interface Decision {
  text: string;
  /** The topic a moderator filed it under; absent for a rejection. */
  topic?: string;
  /** Does it report a problem? Accepting says yes, rejecting as noise says no. */
  problem: boolean;
}

/** A decision goes to the held-out part when the hash of its text says so: stable as decisions grow. */
export function isHeldOut(text: string, share = 0.2): boolean {
  return (createHash('sha1').update(text).digest().readUInt16BE(0) / 65536) < share;
}

/** A decision counts this many times a shipped example: it is the region's own wording. */
export const DECISION_WEIGHT = 2;

const BLEND_GRID: TopicBlend[] = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].flatMap((ruleWeight) => [0.5, 0.7].map((modelAloneMin) => ({ ruleWeight, modelAloneMin })));

/** Top-level topic macro-F1 of a classifier on decisions with a topic (over the topics they hold). */
export function topicQuality(classifier: Classifier, decisions: readonly { text: string; topic: string }[]): number {
  if (decisions.length === 0) return 0;
  const gold = decisions.map((d) => groupOf(d.topic));
  const labels = [...new Set(gold)].sort();
  return evaluate(decisions.map((d, i) => ({ gold: gold[i] as string, predicted: classifier.classify(d.text).topics[0]?.id ?? 'other' })), labels).macroF1;
}

/** Mean recall over "problem" and "no problem" of a classifier's problem verdicts on decisions. */
export function problemQuality(classifier: Classifier, decisions: readonly Decision[]): number {
  if (decisions.length === 0) return 0;
  const r = evaluate(decisions.map((d) => ({ gold: String(d.problem), predicted: String(classifier.classify(d.text).problem?.reported ?? false) })), ['true', 'false']);
  const present = r.classes.filter((c) => c.support > 0);
  return present.reduce((s, c) => s + c.recall, 0) / Math.max(1, present.length);
}

/**
 * The blend chosen by cross-validation over decisions: each fold is classified by a model trained on
 * the shipped examples and the other folds, and the blend that scores best over all out-of-fold
 * predictions wins. Steadier than one held-out slice when decisions are few.
 */
export function chooseBlendByCrossValidation(o: { rules: ClassifierRules; models: ClassifierModels; shipped: readonly LabelledPost[]; decisions: readonly { text: string; topic: string }[]; labels: readonly string[]; folds?: number }): TopicBlend {
  const folds = o.folds ?? 5;
  if (o.decisions.length < folds * 10) return o.models.topics?.blend ?? DEFAULT_BLEND;
  const perBlend = BLEND_GRID.map(() => [] as { gold: string; predicted: string }[]);
  for (let fold = 0; fold < folds; fold++) {
    const test = o.decisions.filter((_, i) => i % folds === fold);
    const train = o.decisions.filter((_, i) => i % folds !== fold);
    const topics = trainTopicModel(o.shipped, train, o.labels, { decisionWeight: DECISION_WEIGHT, calibrationFolds: 0 });
    BLEND_GRID.forEach((blend, b) => {
      const c = new Classifier(o.rules, { ...o.models, topics, blend });
      for (const d of test) (perBlend[b] as { gold: string; predicted: string }[]).push({ gold: d.topic, predicted: c.classify(d.text).topics[0]?.id ?? 'other' });
    });
  }
  const gold = [...new Set(o.decisions.map((d) => d.topic))].sort();
  let best = { blend: DEFAULT_BLEND, quality: -1 };
  BLEND_GRID.forEach((blend, b) => {
    const quality = evaluate(perBlend[b] as { gold: string; predicted: string }[], gold).macroF1;
    if (quality > best.quality + 1e-9) best = { blend, quality };
  });
  return best.blend;
}

/** The blend of rules and a topic model that scores best on decisions the model did not learn from. */
export function chooseBlend(rules: ClassifierRules, models: ClassifierModels, topics: LinearModel, heldOut: readonly { text: string; topic: string }[]): { blend: TopicBlend; quality: number } {
  let best = { blend: topics.blend ?? DEFAULT_BLEND, quality: -1 };
  for (const blend of BLEND_GRID) {
    const quality = topicQuality(new Classifier(rules, { ...models, topics, blend }), heldOut);
    if (quality > best.quality + 1e-9) best = { blend, quality };
  }
  return best;
}

export interface TopicRetraining {
  /** The model trained on the decisions' train part, with the blend chosen on the held-out part. */
  candidate: LinearModel;
  /** Topic macro-F1 on the held-out decisions: the candidate's and the model in force's. */
  quality: { candidate: number; current: number; heldOut: number; trainedOn: number };
  /** The candidate scores no worse than the model in force on decisions neither learnt from. */
  promote: boolean;
}

/**
 * Retrains the topic model from moderators' decisions: the shipped examples plus the decisions'
 * train part, the blend with the rules chosen by cross-validation over that part; the candidate is
 * judged against the model in force on the held-out part only, which no model ever learns from.
 * With too few held-out decisions to judge, nothing is promoted.
 */
export function retrainTopics(o: { rules: ClassifierRules; models: ClassifierModels; shipped: readonly LabelledPost[]; decisions: readonly Decision[]; labels: readonly string[]; minHeldOut?: number; decisionWeight?: number }): TopicRetraining {
  const topical = o.decisions.filter((d): d is Decision & { topic: string } => d.topic !== undefined).map((d) => ({ text: d.text, topic: groupOf(d.topic) }));
  const heldOut = topical.filter((d) => isHeldOut(d.text));
  const train = topical.filter((d) => !isHeldOut(d.text));
  const blend = chooseBlendByCrossValidation({ rules: o.rules, models: o.models, shipped: o.shipped, decisions: train, labels: o.labels });
  const candidate = { ...trainTopicModel(o.shipped, train, o.labels, { decisionWeight: o.decisionWeight ?? DECISION_WEIGHT }), blend };
  const candidateQuality = topicQuality(new Classifier(o.rules, { ...o.models, topics: candidate }), heldOut);
  const current = topicQuality(new Classifier(o.rules, o.models), heldOut);
  const quality = { candidate: round3(candidateQuality), current: round3(current), heldOut: heldOut.length, trainedOn: train.length };
  return { candidate, quality, promote: heldOut.length >= (o.minHeldOut ?? 10) && candidateQuality >= current };
}

export interface ProblemRetraining {
  candidate: LinearModel;
  quality: { candidate: number; current: number; heldOut: number; trainedOn: number };
  promote: boolean;
}

/** The same for the problem detector: accepted alerts are reports, alerts rejected as noise are not. */
export function retrainProblem(o: { rules: ClassifierRules; models: ClassifierModels; shipped: readonly LabelledPost[]; ordinary: readonly string[]; decisions: readonly Decision[]; minHeldOut?: number }): ProblemRetraining {
  const heldOut = o.decisions.filter((d) => isHeldOut(d.text));
  const train = o.decisions.filter((d) => !isHeldOut(d.text));
  const reader = new Classifier(o.rules, { ...o.models, problem: undefined });
  const candidate = trainProblemModel({ labelled: o.shipped, ordinary: o.ordinary, decisions: train }, (t) => reader.problemTrainingFeatures(t));
  const candidateQuality = problemQuality(new Classifier(o.rules, { ...o.models, problem: candidate }), heldOut);
  const current = problemQuality(new Classifier(o.rules, o.models), heldOut);
  const bothKinds = heldOut.some((d) => d.problem) && heldOut.some((d) => !d.problem);
  return {
    candidate,
    quality: { candidate: round3(candidateQuality), current: round3(current), heldOut: heldOut.length, trainedOn: train.length },
    promote: bothKinds && heldOut.length >= (o.minHeldOut ?? 10) && candidateQuality >= current,
  };
}


export interface RouterRetraining {
  /** Undefined when fewer than two bodies have enough decisions to learn. */
  candidate?: LinearModel;
  quality: { candidate: number; current: number; heldOut: number; trainedOn: number };
  promote: boolean;
}

/** The share of routing labels whose body a router model ranks first (a topic it never learnt counts as a miss). */
export function routerQuality(model: LinearModel | undefined, labels: readonly RoutingLabel[], tree?: Pick<TerritoryTree, 'parentOf'>): number {
  if (!model || labels.length === 0) return 0;
  let right = 0;
  for (const l of labels) if (knowsTopic(model, l.topic) && rankBodies(model, l.text, l.topic, l.territory, tree)[0]?.bodyId === l.body) right++;
  return right / labels.length;
}

/**
 * The same for the learned router: moderators' accepts and reroutes (the body each incident went
 * to) are its labels; the candidate learns from their train part and replaces the router model in
 * force only if it routes the held-out part no worse.
 */
export function retrainRouter(o: { labels: readonly RoutingLabel[]; current?: LinearModel; tree?: Pick<TerritoryTree, 'parentOf'>; minHeldOut?: number }): RouterRetraining {
  const heldOut = o.labels.filter((l) => isHeldOut(l.text));
  const train = o.labels.filter((l) => !isHeldOut(l.text));
  const candidate = trainRouteModel(train, o.tree ? { tree: o.tree } : {});
  const candidateQuality = routerQuality(candidate, heldOut, o.tree);
  const current = routerQuality(o.current, heldOut, o.tree);
  return {
    ...(candidate ? { candidate } : {}),
    quality: { candidate: round3(candidateQuality), current: round3(current), heldOut: heldOut.length, trainedOn: train.length },
    promote: candidate !== undefined && heldOut.length >= (o.minHeldOut ?? 10) && candidateQuality >= current,
  };
}
