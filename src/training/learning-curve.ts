import { groupOf } from '../core/classify/taxonomy.js';
import { Classifier, type ClassifierModels, type ClassifierRules } from '../core/classify/classifier.js';
import { evaluate } from './metrics.js';
import { retrainTopics } from './retrain.js';
import type { LabelledPost } from './examples.js';
import { round3 } from '../core/numbers.js';

export interface CurvePoint {
  /** Moderators' decisions learnt from (the first N of the file). */
  decisions: number;
  /** Top-level topic macro-F1 and accuracy on the file's last part, never learnt from. */
  macroF1: number;
  accuracy: number;
  /** The blend chosen on the decisions' own held-out part (none at N = 0). */
  blend?: { ruleWeight: number; modelAloneMin: number };
}

export const CURVE_SIZES = [0, 250, 500, 1000, 2000];

/**
 * How topic quality grows with moderators' decisions, the way the engine retrains (retrain.ts): the
 * first N labelled posts of a file are decisions, a candidate learns from them and replaces the
 * model in force only if it scores no worse on their held-out part, and every point is scored on
 * the same last fifth of the file.
 * Points beyond what the file holds are left out; the largest N the file allows is added.
 */
export function learningCurve(o: { rules: ClassifierRules; models: ClassifierModels; shipped: readonly LabelledPost[]; labels: readonly string[]; rows: readonly { text: string; topic: string }[]; sizes?: readonly number[] }): { test: number; points: CurvePoint[] } {
  const testFrom = Math.floor(o.rows.length * 0.8);
  const pool = o.rows.slice(0, testFrom);
  const test = o.rows.slice(testFrom).map((r) => ({ text: r.text, topic: groupOf(r.topic) }));
  const gold = [...new Set(test.map((t) => t.topic))].sort();
  const score = (c: Classifier) => evaluate(test.map((t) => ({ gold: t.topic, predicted: c.classify(t.text).topics[0]?.id ?? 'other' })), gold);
  const sizes = [...new Set([...(o.sizes ?? CURVE_SIZES).filter((n) => n <= pool.length), pool.length])].sort((a, b) => a - b);
  // As in the engine: at each size a candidate is trained, and it replaces the model in force only
  // if it scores no worse on the decisions held out from training.
  let models = o.models;
  let promoted = false;
  const points = sizes.map((n): CurvePoint => {
    if (n > 0) {
      const decisions = pool.slice(0, n).map((r) => ({ text: r.text, topic: r.topic, problem: true }));
      const retrained = retrainTopics({ rules: o.rules, models, shipped: o.shipped, decisions, labels: o.labels });
      if (retrained.promote) {
        models = { ...models, topics: retrained.candidate };
        promoted = true;
      }
    }
    const r = score(new Classifier(o.rules, models));
    const blend = promoted ? models.topics?.blend : undefined;
    return { decisions: n, macroF1: round3(r.macroF1), accuracy: round3(r.accuracy), ...(blend ? { blend } : {}) };
  });
  return { test: test.length, points };
}

