import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Classifier } from '../src/core/classify/classifier.js';
import { loadClassifier } from '../src/roles/rules.js';
import { loadConfig } from '../src/config/config.js';
import { projectRoot } from '../src/paths.js';
import { readCedr } from '../src/training/cedr.js';

const DEFAULTS = loadConfig({});

export interface ClassifyFigures {
  classify_posts_per_s: number;
  classify_posts_per_s_lexicon_only: number;
}

/**
 * Classification on one core: language, topics, sentiment (model + lexicon), type and alert, over
 * the demo corpus texts and CEDR sentences, repeated. Near-duplicate detection is not in yet.
 */
export function benchClassify(n = 100_000): ClassifyFigures {
  const texts: string[] = [];
  for (const line of readFileSync(join(projectRoot, 'connectors/replay/demo/corpus.jsonl'), 'utf8').split('\n')) {
    const m = /"text":"((?:[^"\\]|\\.)*)"/.exec(line);
    if (m) texts.push(JSON.parse(`"${m[1] ?? ''}"`) as string);
  }
  texts.push(...readCedr(join(projectRoot, 'rules/training/cedr/cedr-main-test.csv')).map((r) => r.text));
  const rate = (c: Classifier) => {
    // Long enough for the JIT to settle on the model path (the first 20k are measurably slower).
    for (let i = 0; i < 30_000; i++) c.classify(texts[i % texts.length] as string);
    const t = performance.now();
    for (let i = 0; i < n; i++) c.classify(texts[i % texts.length] as string);
    return Math.round(n / ((performance.now() - t) / 1000));
  };
  return { classify_posts_per_s: rate(loadClassifier(DEFAULTS)), classify_posts_per_s_lexicon_only: rate(loadClassifier({ ...DEFAULTS, SENTIMENT_MODEL_FILE: '' })) };
}
