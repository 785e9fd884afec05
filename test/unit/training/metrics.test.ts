import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, formatReport } from '../../../src/training/metrics.js';
import { readCedr } from '../../../src/training/cedr.js';
import { loadRules } from '../../../src/roles/rules.js';
import { loadConfig } from '../../../src/config/config.js';

describe('evaluate', () => {
  it('accuracy, per-class precision / recall / F1 and macro-F1', () => {
    const r = evaluate([
      { gold: 'a', predicted: 'a' },
      { gold: 'a', predicted: 'b' },
      { gold: 'b', predicted: 'b' },
      { gold: 'b', predicted: 'b' },
    ]);
    expect(r.accuracy).toBe(0.75);
    expect(r.classes).toEqual([
      { label: 'a', support: 2, precision: 1, recall: 0.5, f1: 2 / 3 },
      { label: 'b', support: 2, precision: 2 / 3, recall: 1, f1: 0.8 },
    ]);
    expect(r.macroF1).toBeCloseTo((2 / 3 + 0.8) / 2, 10);
    expect(formatReport('t', r)).toContain('macro-F1 0.733');
  });
});

describe('readCedr', () => {
  it('maps emotions to polarity and leaves out surprise alone and mixed joy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cedr-'));
    const file = join(dir, 'c.csv');
    writeFileSync(file, 'text,labels,source\nрадость,[0],lj\n"грусть, злость",[1 4],twitter\nничего,[],lenta\nвау,[2],lj\nсмешанное,[0 3],lj\n');
    expect(readCedr(file).map((r) => [r.text, r.label])).toEqual([
      ['радость', 'positive'],
      ['грусть, злость', 'negative'],
      ['ничего', 'neutral'],
    ]);
  });
});

describe('loading the sentiment model', () => {
  it('a broken model file stops start-up naming the file and the problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'model-'));
    const file = join(dir, 'sentiment.json');
    writeFileSync(file, JSON.stringify({ kind: 'multinomial-naive-bayes', labels: ['a'] }));
    expect(() => loadRules(loadConfig({ SENTIMENT_MODEL_FILE: file }))).toThrow(/sentiment\.json.*labels/s);
  });
});
