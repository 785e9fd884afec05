import { z } from 'zod';
import { featureName, splitFeatureName, type FeatureKind, type FeatureWalk } from './features.js';

/** A trained multinomial naive Bayes model, as stored in `rules/models/*.json`. */
export const naiveBayesModelSchema = z
  .object({
    kind: z.literal('multinomial-naive-bayes'),
    labels: z.array(z.string().min(1)).min(2),
    /** log P(label) */
    priors: z.array(z.number()),
    /** log P(feature | label) per label, for features seen in training (rare ones pruned). */
    features: z.record(z.string(), z.array(z.number())),
    /** log P(unseen feature | label): the smoothing mass. */
    unseen: z.array(z.number()),
    trainedOn: z.string(),
    /** Which feature extractor the model was trained with (features.ts): `text` or `topic`. */
    featureSet: z.enum(['text', 'topic']).default('text'),
  })
  .strict();
export type NaiveBayesModel = z.infer<typeof naiveBayesModelSchema>;

export interface TrainingExample {
  features: readonly string[];
  label: string;
}

/**
 * Trains multinomial naive Bayes with Laplace smoothing (alpha). Features seen fewer than
 * `minCount` times are dropped so the shipped model stays small. Deterministic: the same examples
 * give the same model, byte for byte.
 */
export function trainNaiveBayes(examples: readonly TrainingExample[], labels: readonly string[], trainedOn: string, alpha = 0.5, minCount = 2, featureSet: NaiveBayesModel['featureSet'] = 'text'): NaiveBayesModel {
  const index = new Map(labels.map((l, i) => [l, i]));
  const docCounts = labels.map(() => 0);
  const counts = new Map<string, number[]>();
  const totals = labels.map(() => 0);
  for (const ex of examples) {
    const li = index.get(ex.label);
    if (li === undefined) continue;
    docCounts[li] = (docCounts[li] ?? 0) + 1;
    for (const f of ex.features) {
      let c = counts.get(f);
      if (!c) counts.set(f, (c = labels.map(() => 0)));
      c[li] = (c[li] ?? 0) + 1;
    }
  }
  const kept = [...counts.entries()].filter(([, c]) => c.reduce((a, b) => a + b, 0) >= minCount).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [, c] of kept) c.forEach((n, i) => (totals[i] = (totals[i] ?? 0) + n));
  const vocab = kept.length + 1;
  const docs = docCounts.reduce((a, b) => a + b, 0);
  const denom = totals.map((t) => Math.log(t + alpha * vocab));
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const features: Record<string, number[]> = {};
  for (const [f, c] of kept) features[f] = c.map((n, i) => round(Math.log(n + alpha) - (denom[i] as number)));
  return {
    kind: 'multinomial-naive-bayes',
    labels: [...labels],
    priors: docCounts.map((n) => round(Math.log((n + 1) / (docs + labels.length)))),
    features,
    unseen: denom.map((d) => round(Math.log(alpha) - d)),
    trainedOn,
    featureSet,
  };
}

export interface Prediction {
  /** Probabilities per label, in the model's label order, summing to 1. */
  probabilities: { label: string; p: number }[];
  /** The features that pushed the winning label most, for the explanation. */
  evidence: string[];
}

/**
 * Scores a document; unknown features are ignored (they carry no evidence either way). A
 * temperature above 1 softens the probabilities: naive Bayes counts correlated words as independent
 * evidence and is far too sure of itself, most of all when trained on a few hundred posts.
 * Features come as a walk over the text (features.ts), as the classifier passes them — its parts are
 * looked up as they are, without a name built per feature and post — or as names, split into parts.
 */
export function predictNaiveBayes(model: NaiveBayesModel, features: readonly string[] | FeatureWalk, temperature = 1): Prediction {
  const c = compiled(model);
  const n = c.priors.length;
  const scores = c.priors.slice();
  const known: Float64Array[] = [];
  // Each known feature's parts, to name it by should it make the explanation.
  const kinds: FeatureKind[] = [];
  const firsts: string[] = [];
  const seconds: (string | undefined)[] = [];
  const walk = typeof features === 'function' ? features : walkNames(features);
  walk((kind, a, b) => {
    const w = b === undefined ? c.unigrams[kind].get(a) : c.pairs.get(a)?.get(b);
    if (w === undefined) return;
    for (let i = 0; i < n; i++) scores[i] = (scores[i] as number) + (w[i] as number);
    known.push(w);
    kinds.push(kind);
    firsts.push(a);
    seconds.push(b);
  });
  const nameOf = (k: number) => featureName(kinds[k] as FeatureKind, firsts[k] as string, seconds[k]);
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  const exp = scores.map((s) => {
    const e = Math.exp((s - max) / temperature);
    sum += e;
    return e;
  });
  let bi = 0;
  for (let i = 1; i < n; i++) if ((exp[i] as number) > (exp[bi] as number)) bi = i;
  const probabilities = model.labels.map((label, i) => ({ label, p: (exp[i] as number) / sum }));
  // The five features that favour the winner most over its best rival (the explanation).
  const top: { f: string; margin: number }[] = [];
  for (let k = 0; k < known.length; k++) {
    const w = known[k] as Float64Array;
    let rival = -Infinity;
    for (let i = 0; i < n; i++) if (i !== bi && (w[i] as number) > rival) rival = w[i] as number;
    const margin = (w[bi] as number) - rival;
    if (margin <= 0 || (top.length === 5 && margin <= (top[4] as { margin: number }).margin)) continue;
    const f = nameOf(k);
    if (top.some((t) => t.f === f)) continue;
    // Insertion into a list of at most five, best first.
    let at = top.length;
    while (at > 0 && (top[at - 1] as { margin: number }).margin < margin) at--;
    top.splice(at, 0, { f, margin });
    if (top.length > 5) top.pop();
  }
  return { probabilities, evidence: top.map((e) => e.f) };
}

/** Feature names as a walk; a name of no known kind matches nothing, as no walk emits it. */
function walkNames(names: readonly string[]): FeatureWalk {
  return (emit) => {
    for (const f of names) {
      const parts = splitFeatureName(f);
      if (parts) emit(parts[0], parts[1], parts[2]);
    }
  };
}

interface CompiledModel {
  /** Single-part features by kind, then part (`w` → стем). */
  unigrams: Record<FeatureKind, Map<string, Float64Array>>;
  /** Bigrams by first part, then second. */
  pairs: Map<string, Map<string, Float64Array>>;
  priors: number[];
}

// A model's weights as Maps of typed arrays, built on first use. A walk's parts are stems the
// classifier made once (their hashes kept by V8); names concatenated for every post were hashed
// afresh — the walk made classification 5–8 % faster (built code, alternating runs).
const compiledModels = new WeakMap<NaiveBayesModel, CompiledModel>();

function compiled(model: NaiveBayesModel): CompiledModel {
  let c = compiledModels.get(model);
  if (!c) {
    const unigrams: CompiledModel['unigrams'] = { w: new Map(), n: new Map(), b: new Map(), m: new Map() };
    const pairs = new Map<string, Map<string, Float64Array>>();
    for (const [f, list] of Object.entries(model.features)) {
      const parts = splitFeatureName(f);
      if (!parts) continue;
      const [kind, first, second] = parts;
      const w = Float64Array.from(list);
      if (second === undefined) unigrams[kind].set(first, w);
      else {
        let inner = pairs.get(first);
        if (!inner) pairs.set(first, (inner = new Map<string, Float64Array>()));
        inner.set(second, w);
      }
    }
    c = { unigrams, pairs, priors: model.priors.slice() };
    compiledModels.set(model, c);
  }
  return c;
}
