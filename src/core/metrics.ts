/** One increment of a labelled counter, e.g. posts analysed from source `demo`. */
export interface CounterSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Groups items into one sample per distinct label set: a batch of 500 posts is a handful of increments. */
export function tally<T>(name: string, items: readonly T[], labelsOf: (item: T) => Record<string, string>): CounterSample[] {
  const out = new Map<string, CounterSample>();
  for (const item of items) {
    const labels = labelsOf(item);
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
    const s = out.get(key);
    if (s) s.value++;
    else out.set(key, { name, labels, value: 1 });
  }
  return [...out.values()];
}

