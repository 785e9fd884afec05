import { z } from 'zod';
import { featureName, splitFeatureName, type FeatureKind, type FeatureWalk } from './features.js';

/**
 * A trained multinomial logistic regression (softmax) over sparse features, as stored in
 * `rules/models/*.json` and in the engine's model registry. Documents are binary feature vectors
 * scaled to unit length, so a long appeal and a one-line post land on the same scale; the
 * probabilities are divided by a temperature fitted on held-out predictions, so a score of 0.8 is
 * right about four times in five.
 */
export const linearModelSchema = z
  .object({
    kind: z.literal('softmax-regression'),
    labels: z.array(z.string().min(1)).min(2),
    /** Which feature extractor the model was trained with (features.ts). */
    featureSet: z.enum(['topic', 'text', 'problem', 'route']),
    bias: z.array(z.number()),
    /** Weights per feature, one per label (features whose weights all round to zero are left out). */
    weights: z.record(z.string(), z.array(z.number())),
    /** Logits are divided by this before the softmax (fitted by cross-validation). */
    temperature: z.number().positive(),
    trainedOn: z.string(),
    /** For a topic model: how it is blended with the topic rules (classifier.ts TopicBlend). */
    blend: z.object({ ruleWeight: z.number().min(0).max(1), modelAloneMin: z.number().min(0).max(1) }).strict().optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.bias.length !== m.labels.length) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['bias'], message: `${m.bias.length} biases for ${m.labels.length} labels` });
    for (const [f, w] of Object.entries(m.weights)) {
      if (w.length !== m.labels.length) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['weights', f], message: `${w.length} weights for ${m.labels.length} labels` });
        return;
      }
    }
  });
export type LinearModel = z.infer<typeof linearModelSchema>;

export interface LinearExample {
  features: readonly string[];
  label: string;
  /** How much the example counts in the loss (default 1): balances classes and sources. */
  weight?: number;
}

export interface TrainOptions {
  /** L2 penalty on the weights (not the biases), per unit of example weight. */
  l2: number;
  /**
   * The penalty for designed (`f:`) features instead of `l2`: a few dozen features that say what a
   * report looks like need less shrinking than thousands of words that say who wrote the examples.
   */
  l2Designed?: number;
  /** Features seen in fewer documents are not learnt. */
  minCount?: number;
  maxIterations?: number;
  /** Folds for fitting the temperature on out-of-fold predictions; 0 keeps temperature 1. */
  calibrationFolds?: number;
  featureSet: LinearModel['featureSet'];
  trainedOn: string;
}

/**
 * A document's features: word-like features (stems, bigrams, prefixes) are scaled to unit length
 * together; designed features (`f:` — a cue group, an address, a rule's verdict) count 1 each
 * whatever the length, so a long appeal does not drown its "прошу" in its own words.
 */
interface Doc {
  scaled: Int32Array;
  fixed: Int32Array;
}

interface Dataset {
  /** Feature indices per document, ascending, no repeats. */
  docs: Doc[];
  /** The L2 penalty of each feature. */
  penalty: Float64Array;
  labels: Int32Array;
  weights: Float64Array;
  vocab: number;
  classes: number;
}

/**
 * Trains the model to the optimum of the L2-regularised, example-weighted cross-entropy with
 * L-BFGS (the objective is convex, so the answer does not depend on an order or a learning rate).
 * Deterministic: the same examples give the same model, byte for byte.
 */
export function trainLinearModel(examples: readonly LinearExample[], labels: readonly string[], o: TrainOptions): LinearModel {
  const minCount = o.minCount ?? 2;
  const counts = new Map<string, number>();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const usable = examples.filter((e) => labelIndex.has(e.label) && (e.weight ?? 1) > 0);
  for (const e of usable) for (const f of new Set(e.features)) counts.set(f, (counts.get(f) ?? 0) + 1);
  const names = [...counts.entries()].filter(([, n]) => n >= minCount).map(([f]) => f).sort();
  const index = new Map(names.map((f, i) => [f, i]));
  const fixed = names.map((f) => f.startsWith('f:'));
  const data = toDataset(usable, index, fixed, labelIndex, names.length, labels.length, Float64Array.from(fixed, (f) => (f ? (o.l2Designed ?? o.l2) : o.l2)));
  const theta = fit(data, o.maxIterations ?? 200);
  let temperature = 1;
  if ((o.calibrationFolds ?? 0) > 1 && usable.length >= (o.calibrationFolds ?? 0) * 4) temperature = fitTemperature(data, o.maxIterations ?? 200, o.calibrationFolds ?? 5);
  const k = labels.length;
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const weights: Record<string, number[]> = {};
  names.forEach((f, j) => {
    const w = Array.from({ length: k }, (_, c) => round(theta[j * k + c] as number));
    if (w.some((x) => x !== 0)) weights[f] = w;
  });
  const biasAt = names.length * k;
  return {
    kind: 'softmax-regression',
    labels: [...labels],
    featureSet: o.featureSet,
    bias: Array.from({ length: k }, (_, c) => round(theta[biasAt + c] as number)),
    weights,
    temperature: round(temperature),
    trainedOn: o.trainedOn,
  };
}

function toDataset(examples: readonly LinearExample[], index: Map<string, number>, fixed: readonly boolean[], labelIndex: Map<string, number>, vocab: number, classes: number, penalty: Float64Array): Dataset {
  const docs: Doc[] = [];
  const labels = new Int32Array(examples.length);
  const weights = new Float64Array(examples.length);
  examples.forEach((e, i) => {
    const ids = new Set<number>();
    for (const f of e.features) {
      const j = index.get(f);
      if (j !== undefined) ids.add(j);
    }
    const sorted = [...ids].sort((a, b) => a - b);
    docs.push({ scaled: Int32Array.from(sorted.filter((j) => !fixed[j])), fixed: Int32Array.from(sorted.filter((j) => fixed[j])) });
    labels[i] = labelIndex.get(e.label) as number;
    weights[i] = e.weight ?? 1;
  });
  return { docs, labels, weights, vocab, classes, penalty };
}

/** Loss and gradient of the weighted mean cross-entropy plus each feature's (l2 / 2)·‖w‖², biases unpenalised. */
function lossAndGradient(d: Dataset, theta: Float64Array, grad: Float64Array): number {
  const k = d.classes;
  const biasAt = d.vocab * k;
  grad.fill(0);
  const logits = new Float64Array(k);
  let totalWeight = 0;
  for (let i = 0; i < d.docs.length; i++) totalWeight += d.weights[i] as number;
  let loss = 0;
  for (let i = 0; i < d.docs.length; i++) {
    const doc = d.docs[i] as Doc;
    const scale = doc.scaled.length > 0 ? 1 / Math.sqrt(doc.scaled.length) : 0;
    rawLogits(theta, doc, d.vocab, k, logits);
    let max = -Infinity;
    for (let c = 0; c < k; c++) if ((logits[c] as number) > max) max = logits[c] as number;
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp((logits[c] as number) - max);
    const lse = max + Math.log(sum);
    const y = d.labels[i] as number;
    const w = (d.weights[i] as number) / totalWeight;
    loss += w * (lse - (logits[y] as number));
    for (let c = 0; c < k; c++) {
      const g = w * (Math.exp((logits[c] as number) - lse) - (c === y ? 1 : 0));
      if (g === 0) continue;
      grad[biasAt + c] = (grad[biasAt + c] as number) + g;
      for (const j of doc.scaled) grad[j * k + c] = (grad[j * k + c] as number) + g * scale;
      for (const j of doc.fixed) grad[j * k + c] = (grad[j * k + c] as number) + g;
    }
  }
  for (let p = 0; p < biasAt; p++) {
    const t = theta[p] as number;
    const l2 = d.penalty[Math.floor(p / k)] as number;
    loss += 0.5 * l2 * t * t;
    grad[p] = (grad[p] as number) + l2 * t;
  }
  return loss;
}

/** L-BFGS (memory 10) with a backtracking Armijo line search. */
function fit(d: Dataset, maxIterations: number): Float64Array {
  const n = (d.vocab + 1) * d.classes;
  let x = new Float64Array(n);
  let g = new Float64Array(n);
  let f = lossAndGradient(d, x, g);
  const m = 10;
  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rho: number[] = [];
  const dot = (a: Float64Array, b: Float64Array) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
    return s;
  };
  for (let iter = 0; iter < maxIterations; iter++) {
    // Two-loop recursion: the search direction from the last m steps.
    const q = Float64Array.from(g);
    const alpha: number[] = [];
    for (let i = sList.length - 1; i >= 0; i--) {
      const a = (rho[i] as number) * dot(sList[i] as Float64Array, q);
      alpha[i] = a;
      const y = yList[i] as Float64Array;
      for (let p = 0; p < n; p++) q[p] = (q[p] as number) - a * (y[p] as number);
    }
    if (sList.length > 0) {
      const s = sList[sList.length - 1] as Float64Array;
      const y = yList[yList.length - 1] as Float64Array;
      const gamma = dot(s, y) / dot(y, y);
      for (let p = 0; p < n; p++) q[p] = (q[p] as number) * gamma;
    } else {
      const norm = Math.sqrt(dot(g, g)) || 1;
      for (let p = 0; p < n; p++) q[p] = (q[p] as number) / norm;
    }
    for (let i = 0; i < sList.length; i++) {
      const b = (rho[i] as number) * dot(yList[i] as Float64Array, q);
      const s = sList[i] as Float64Array;
      for (let p = 0; p < n; p++) q[p] = (q[p] as number) + ((alpha[i] as number) - b) * (s[p] as number);
    }
    // q approximates H·g; the step goes against it.
    const slope = -dot(g, q);
    if (slope >= 0) break;
    let step = 1;
    const xNew = new Float64Array(n);
    const gNew = new Float64Array(n);
    let fNew = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      for (let p = 0; p < n; p++) xNew[p] = (x[p] as number) - step * (q[p] as number);
      fNew = lossAndGradient(d, xNew, gNew);
      if (fNew <= f + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(fNew < f)) break;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      s[p] = (xNew[p] as number) - (x[p] as number);
      y[p] = (gNew[p] as number) - (g[p] as number);
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      sList.push(s);
      yList.push(y);
      rho.push(1 / sy);
      if (sList.length > m) {
        sList.shift();
        yList.shift();
        rho.shift();
      }
    }
    const improvement = f - fNew;
    x = xNew;
    g = gNew;
    f = fNew;
    if (improvement < 1e-7 * Math.max(1, Math.abs(f))) break;
  }
  return x;
}

/**
 * The temperature that makes out-of-fold probabilities honest: each fold is predicted by a model
 * trained on the others, and T minimises their weighted log-loss (golden-section search on log T).
 */
function fitTemperature(d: Dataset, maxIterations: number, folds: number): number {
  const k = d.classes;
  const outLogits: Float64Array[] = d.docs.map(() => new Float64Array(k));
  for (let fold = 0; fold < folds; fold++) {
    const trainIdx: number[] = [];
    const testIdx: number[] = [];
    d.docs.forEach((_, i) => (i % folds === fold ? testIdx : trainIdx).push(i));
    const sub: Dataset = { docs: trainIdx.map((i) => d.docs[i] as Doc), labels: Int32Array.from(trainIdx.map((i) => d.labels[i] as number)), weights: Float64Array.from(trainIdx.map((i) => d.weights[i] as number)), vocab: d.vocab, classes: k, penalty: d.penalty };
    const theta = fit(sub, maxIterations);
    for (const i of testIdx) rawLogits(theta, d.docs[i] as Doc, d.vocab, k, outLogits[i] as Float64Array);
  }
  const nll = (t: number) => {
    let s = 0;
    let tw = 0;
    outLogits.forEach((l, i) => {
      let max = -Infinity;
      for (const v of l) if (v / t > max) max = v / t;
      let sum = 0;
      for (const v of l) sum += Math.exp(v / t - max);
      const w = d.weights[i] as number;
      s += w * (max + Math.log(sum) - (l[d.labels[i] as number] as number) / t);
      tw += w;
    });
    return s / tw;
  };
  let lo = Math.log(0.2);
  let hi = Math.log(10);
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40; i++) {
    const a = hi - phi * (hi - lo);
    const b = lo + phi * (hi - lo);
    if (nll(Math.exp(a)) < nll(Math.exp(b))) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}

function rawLogits(theta: Float64Array, doc: Doc, vocab: number, k: number, out: Float64Array): void {
  const biasAt = vocab * k;
  const scale = doc.scaled.length > 0 ? 1 / Math.sqrt(doc.scaled.length) : 0;
  for (let c = 0; c < k; c++) out[c] = theta[biasAt + c] as number;
  for (const j of doc.scaled) for (let c = 0; c < k; c++) out[c] = (out[c] as number) + scale * (theta[j * k + c] as number);
  for (const j of doc.fixed) for (let c = 0; c < k; c++) out[c] = (out[c] as number) + (theta[j * k + c] as number);
}

export interface LinearPrediction {
  /** Probabilities per label, in the model's label order, summing to 1. */
  probabilities: { label: string; p: number }[];
  /** The features that pushed the winning label most, for the explanation. */
  evidence: string[];
}

/** One feature's weights, with the prediction that last counted it (so a repeated word counts once). */
interface Entry {
  w: Float64Array;
  stamp: number;
  kind: FeatureKind;
  a: string;
  b: string | undefined;
}

interface CompiledLinear {
  /** Unigram tables by kind, indexed by slotOf (an array, not an object keyed by kind: the hot path reads it per feature). */
  unigrams: Map<string, Entry>[];
  pairs: Map<string, Map<string, Entry>>;
}

const KINDS = 6;

function slotOf(kind: FeatureKind): number {
  switch (kind) {
    case 'w':
      return 0;
    case 'n':
      return 1;
    case 'b':
      return 2;
    case 'm':
      return 3;
    case 'p':
      return 4;
    default:
      return 5;
  }
}

const compiledModels = new WeakMap<LinearModel, CompiledLinear>();

function compile(model: LinearModel): CompiledLinear {
  let c = compiledModels.get(model);
  if (c) return c;
  c = { unigrams: Array.from({ length: KINDS }, () => new Map<string, Entry>()), pairs: new Map() };
  for (const [name, w] of Object.entries(model.weights)) {
    const parts = splitFeatureName(name);
    if (!parts) continue;
    const [kind, a, b] = parts;
    const entry: Entry = { w: Float64Array.from(w), stamp: 0, kind, a, b };
    if (b === undefined) (c.unigrams[slotOf(kind)] as Map<string, Entry>).set(a, entry);
    else {
      let inner = c.pairs.get(a);
      if (!inner) c.pairs.set(a, (inner = new Map<string, Entry>()));
      inner.set(b, entry);
    }
  }
  compiledModels.set(model, c);
  return c;
}

// Every prediction gets a fresh stamp; an entry stamped with it was counted already. Cheaper than a
// Set per prediction (a quarter of classification time went to one).
let stamps = 0;
let scratch = new Float64Array(64);

/** Scores a document given as a walk over its features (or as names); unknown features are ignored. */
export function predictLinear(model: LinearModel, features: FeatureWalk | readonly string[], explain = true): LinearPrediction {
  const c = compile(model);
  const k = model.labels.length;
  // Scratch sums shared by every call (a prediction runs to its end before another starts):
  // allocating typed arrays per call was a third of a prediction's time.
  if (scratch.length < 3 * k) scratch = new Float64Array(3 * k);
  const sums = scratch;
  const fixedAt = k;
  const logitAt = 2 * k;
  sums.fill(0, 0, 2 * k);
  const stamp = ++stamps;
  let scaledCount = 0;
  const hits: Entry[] = [];
  const unigrams = c.unigrams;
  const walk: FeatureWalk = typeof features === 'function' ? features : (emit) => {
    for (const f of features) {
      const p = splitFeatureName(f);
      if (p) emit(p[0], p[1], p[2]);
    }
  };
  walk((kind, a, b) => {
    const e = b === undefined ? (unigrams[slotOf(kind)] as Map<string, Entry>).get(a) : c.pairs.get(a)?.get(b);
    if (e === undefined || e.stamp === stamp) return;
    e.stamp = stamp;
    const w = e.w;
    if (kind === 'f') for (let i = 0; i < k; i++) sums[fixedAt + i] = (sums[fixedAt + i] as number) + (w[i] as number);
    else {
      scaledCount++;
      for (let i = 0; i < k; i++) sums[i] = (sums[i] as number) + (w[i] as number);
    }
    if (explain) hits.push(e);
  });
  // Features the model pruned to zero still count in the document's length, as in training; the
  // difference is small (only weights that round to zero are pruned), so known features decide.
  const scale = scaledCount > 0 ? 1 / Math.sqrt(scaledCount) : 0;
  let max = -Infinity;
  for (let i = 0; i < k; i++) {
    const logit = ((model.bias[i] as number) + scale * (sums[i] as number) + (sums[fixedAt + i] as number)) / model.temperature;
    sums[logitAt + i] = logit;
    if (logit > max) max = logit;
  }
  let total = 0;
  for (let i = 0; i < k; i++) {
    const e = Math.exp((sums[logitAt + i] as number) - max);
    sums[logitAt + i] = e;
    total += e;
  }
  const probabilities = model.labels.map((label, i) => ({ label, p: (sums[logitAt + i] as number) / total }));
  if (!explain) return { probabilities, evidence: [] };
  let best = 0;
  for (let i = 1; i < k; i++) if ((probabilities[i] as { p: number }).p > (probabilities[best] as { p: number }).p) best = i;
  // The five features that favour the winner most over its best rival (insertion into a list of at
  // most five); names are built only for them, and ties go to the name first in order.
  const top: { e: Entry; margin: number }[] = [];
  for (const e of hits) {
    let rival = -Infinity;
    for (let i = 0; i < k; i++) if (i !== best && (e.w[i] as number) > rival) rival = e.w[i] as number;
    const margin = (e.w[best] as number) - rival;
    if (margin <= 0 || (top.length === 5 && margin < (top[4] as { margin: number }).margin)) continue;
    let at = top.length;
    while (at > 0 && (top[at - 1] as { margin: number }).margin < margin) at--;
    top.splice(at, 0, { e, margin });
    if (top.length > 5) top.pop();
  }
  return { probabilities, evidence: top.map((t) => featureName(t.e.kind, t.e.a, t.e.b)) };
}
