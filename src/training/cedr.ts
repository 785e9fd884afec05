import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export type Polarity = 'negative' | 'neutral' | 'positive';

export interface LabelledText {
  text: string;
  label: Polarity;
  source: string;
}

/**
 * CEDR rows as polarity: joy → positive; sadness, fear, anger → negative; no emotion → neutral.
 * Surprise alone and rows that mix joy with a negative emotion say nothing about polarity: left out.
 */
export function readCedr(path: string): LabelledText[] {
  const rows = parse<{ text: string; labels: string; source: string }>(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true });
  const out: LabelledText[] = [];
  for (const r of rows) {
    const labels = new Set((r.labels.match(/\d/g) ?? []).map(Number));
    const pos = labels.has(0);
    const neg = labels.has(1) || labels.has(3) || labels.has(4);
    if (pos && neg) continue;
    if (labels.size === 0) out.push({ text: r.text, label: 'neutral', source: r.source });
    else if (pos) out.push({ text: r.text, label: 'positive', source: r.source });
    else if (neg) out.push({ text: r.text, label: 'negative', source: r.source });
  }
  return out;
}
