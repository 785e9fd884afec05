/** Accuracy and per-class precision / recall / F1 over (gold, predicted) pairs. */
export interface ClassReport {
  label: string;
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Report {
  n: number;
  accuracy: number;
  macroF1: number;
  classes: ClassReport[];
}

export function evaluate(pairs: readonly { gold: string; predicted: string }[], labels?: readonly string[]): Report {
  const all = labels ?? [...new Set(pairs.map((p) => p.gold))].sort();
  const classes = all.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const p of pairs) {
      if (p.predicted === label && p.gold === label) tp++;
      else if (p.predicted === label) fp++;
      else if (p.gold === label) fn++;
    }
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, support: tp + fn, precision, recall, f1 };
  });
  const correct = pairs.filter((p) => p.gold === p.predicted).length;
  return { n: pairs.length, accuracy: pairs.length === 0 ? 0 : correct / pairs.length, macroF1: classes.reduce((s, c) => s + c.f1, 0) / Math.max(1, classes.length), classes };
}

const pct = (x: number) => (x * 100).toFixed(1).padStart(5);

/** The report as a few lines of text for the terminal and the README. */
export function formatReport(title: string, r: Report): string {
  const lines = [`${title}: n=${r.n} accuracy ${pct(r.accuracy)}% macro-F1 ${r.macroF1.toFixed(3)}`];
  for (const c of r.classes) lines.push(`  ${c.label.padEnd(12)} P ${pct(c.precision)}  R ${pct(c.recall)}  F1 ${c.f1.toFixed(3)}  (n=${c.support})`);
  return lines.join('\n');
}
