import { z } from 'zod';

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
 */
export function predictNaiveBayes(model: NaiveBayesModel, features: readonly string[], temperature = 1): Prediction {
  const scores = [...model.priors];
  const known: string[] = [];
  for (const f of features) {
    const w = model.features[f];
    if (!w) continue;
    for (let i = 0; i < scores.length; i++) scores[i] = (scores[i] as number) + (w[i] as number);
    known.push(f);
  }
  const max = Math.max(...scores);
  const exp = scores.map((s) => Math.exp((s - max) / temperature));
  const sum = exp.reduce((a, b) => a + b, 0);
  const probabilities = model.labels.map((label, i) => ({ label, p: (exp[i] as number) / sum }));
  const best = probabilities.reduce((a, b) => (b.p > a.p ? b : a));
  const bi = model.labels.indexOf(best.label);
  const evidence = [...new Set(known)]
    .map((f) => {
      const w = model.features[f] as number[];
      const others = w.filter((_, i) => i !== bi);
      return { f, margin: (w[bi] as number) - Math.max(...others) };
    })
    .filter((e) => e.margin > 0)
    .sort((a, b) => b.margin - a.margin)
    .slice(0, 5)
    .map((e) => e.f);
  return { probabilities, evidence };
}
