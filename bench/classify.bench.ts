import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Classifier } from '../src/core/classify/classifier.js';
import { loadClassifier } from '../src/roles/rules.js';
import { loadConfig } from '../src/config/config.js';
import { projectRoot } from '../src/paths.js';
import { readCedr } from '../src/training/cedr.js';

const DEFAULTS = loadConfig({});

export interface ClassifyFigures {
  /** The median of five rounds. */
  classify_posts_per_s: number;
  /** The fastest round: what the machine does when nothing else competes for it. */
  classify_posts_per_s_best: number;
  classify_posts_per_s_rules_only: number;
}

/**
 * Classification on one core: language, topics (rules + model), sentiment (model + lexicon),
 * sarcasm, type, territory, alert and the near-duplicate fingerprint, over the demo corpus texts
 * and CEDR sentences, repeated in five rounds (median and best); and the same with the rules alone
 * (no trained models).
 */
export function benchClassify(n = 100_000): ClassifyFigures {
  const texts: string[] = [];
  for (const line of readFileSync(join(projectRoot, 'connectors/replay/demo/corpus.jsonl'), 'utf8').split('\n')) {
    const m = /"text":"((?:[^"\\]|\\.)*)"/.exec(line);
    if (m) texts.push(JSON.parse(`"${m[1] ?? ''}"`) as string);
  }
  texts.push(...readCedr(join(projectRoot, 'rules/training/cedr/cedr-main-test.csv')).map((r) => r.text));
  const territory = { territory: 'г. Энск' };
  const rounds = (c: Classifier) => {
    // Long enough for the JIT to settle on the model path (the first 20k are measurably slower).
    for (let i = 0; i < 30_000; i++) c.classify(texts[i % texts.length] as string, territory);
    const out: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      for (let i = 0; i < n / 5; i++) c.classify(texts[(i + r * 7919) % texts.length] as string, territory);
      out.push(Math.round(n / 5 / ((performance.now() - t) / 1000)));
    }
    return out.sort((a, b) => a - b);
  };
  const full = rounds(loadClassifier(DEFAULTS));
  const rulesOnly = rounds(loadClassifier({ ...DEFAULTS, SENTIMENT_MODEL_FILE: '', TOPIC_MODEL_FILE: '', PROBLEM_MODEL_FILE: '' }));
  return { classify_posts_per_s: full[2] as number, classify_posts_per_s_best: full[4] as number, classify_posts_per_s_rules_only: rulesOnly[2] as number };
}
