import type { Logger } from 'pino';
import type { Markers } from '../ports/markers.js';
import type { SearchIndex } from '../ports/search-index.js';
import type { Counters } from '../ports/counters.js';
import type { NotificationOutbox } from '../ports/notifications.js';
import { parseQuery, searchQuerySchema, termsQuerySchema, trendQuerySchema } from '../core/search/query.js';
import { DEFAULT_SPIKE_OPTIONS, judgeHour, risingWords, type SpikeOptions } from '../core/spikes/detector.js';
import { normalizeText, tokenize } from '../core/classify/text.js';

/** A surge of posts about a topic in a territory, with its evidence. */
export interface Spike {
  /** `<kind>|<topic>|<territory>|<hour>`: one spike per series and hour. */
  key: string;
  /** A surge of posts, or of alerts (posts the engine judged actionable) — watched apart. */
  kind: 'posts' | 'alerts';
  topic: string;
  territory: string;
  /** The hour judged (start, UTC). */
  hour: string;
  count: number;
  expected: number;
  range: [number, number];
  pValue: number;
  /** The posts of that hour (ids and text), most recent first. */
  top: { id: string; text: string }[];
  /** Words more frequent in the surge than in the fortnight before. */
  rising: string[];
  detectedAt: string;
}

/** Where the leader keeps the last week's spikes (a marker: one writer, the leader). */
export const SPIKES_MARKER = 'spikes:recent';
const RECENT = SPIKES_MARKER;
/** Spikes are kept for the console and the API this long. */
const KEEP_MS = 7 * 86_400_000;
/** The territories with most posts in the window are watched, each split by topic. */
const TERRITORIES = 30;
const HOUR = 3_600_000;

const words = (text: string) => tokenize(normalizeText(text)).filter((w) => w.length >= 4).map((w) => w.slice(0, 6));

/** The spikes of the last week the leader keeps, newest first. */
export async function recentSpikes(markers: Pick<Markers, 'get'>): Promise<Spike[]> {
  const raw = await markers.get(SPIKES_MARKER);
  return raw ? (JSON.parse(raw) as Spike[]) : [];
}

/**
 * Watches every topic × territory series for surges (the leader runs it every few minutes on the
 * last complete hour): hourly counts from the search index, judged by the seasonal Poisson test,
 * each spike kept once with its top posts and the words that rose.
 */
export class SpikeWatch {
  constructor(
    private readonly d: {
      search: SearchIndex;
      markers: Markers;
      counters: Counters;
      now: () => Date;
      log: Logger;
      options?: SpikeOptions;
      /** Where moderators' notifications go (their Telegram chat or webhook); without it, the console and /metrics only. */
      outbox?: NotificationOutbox;
    },
  ) {}

  private get o(): SpikeOptions {
    return this.d.options ?? DEFAULT_SPIKE_OPTIONS;
  }

  /** The spikes of the last week, newest first. */
  async recent(): Promise<Spike[]> {
    return recentSpikes(this.d.markers);
  }

  /** Judges the last complete hour of every watched series; returns the spikes it found (new ones kept). */
  async scan(): Promise<Spike[]> {
    const now = this.d.now();
    const hourEnd = new Date(Math.floor(now.getTime() / HOUR) * HOUR);
    const hourStart = new Date(hourEnd.getTime() - HOUR);
    const from = new Date(hourStart.getTime() - this.o.baselineDays * 24 * HOUR);
    const window = { from: from.toISOString(), to: new Date(hourEnd.getTime() - 1).toISOString() };
    const territories = await this.d.search.terms(parseQuery(termsQuerySchema, { field: 'territory', size: TERRITORIES, ...window }));
    const found: Spike[] = [];
    for (const t of territories) {
      for (const kind of ['posts', 'alerts'] as const) {
        const only = kind === 'alerts' ? { alert: 'true' } : {};
        const buckets = await this.d.search.trends(parseQuery(trendQuerySchema, { interval: 'hour', by: 'topic', territory: t.key, ...only, ...window }));
        const byKey = new Map(buckets.map((b) => [Date.parse(b.key), b]));
        const topics = new Set(buckets.flatMap((b) => Object.keys(b.by)));
        for (const topic of topics) {
          if (topic === 'other') continue;
          const series: number[] = [];
          for (let h = from.getTime(); h <= hourStart.getTime(); h += HOUR) series.push(byKey.get(h)?.by[topic] ?? 0);
          const v = judgeHour(series, this.o);
          if (!v.spike) continue;
          const hourFilter = { topic, territory: t.key, ...only, from: hourStart.toISOString(), to: new Date(hourEnd.getTime() - 1).toISOString() };
          const top = await this.d.search.search(parseQuery(searchQuerySchema, { ...hourFilter, size: 20, sort: 'newest' }));
          const before = await this.d.search.search(parseQuery(searchQuerySchema, { topic, territory: t.key, ...only, from: window.from, to: new Date(hourStart.getTime() - 1).toISOString(), size: 100, sort: 'newest' }));
          found.push({
            key: `${kind}|${topic}|${t.key}|${hourStart.toISOString()}`,
            kind,
            topic,
            territory: t.key,
            hour: hourStart.toISOString(),
            count: v.count,
            expected: v.expected,
            range: v.range,
            pValue: v.pValue,
            top: top.items.slice(0, 5).map((h) => ({ id: h.id, text: h.text.slice(0, 300) })),
            rising: risingWords(top.items.map((h) => words(h.text)), before.items.map((h) => words(h.text))).map((w) => w.word),
            detectedAt: now.toISOString(),
          });
        }
      }
    }
    const kept = await this.recent();
    const known = new Set(kept.map((s) => s.key));
    const fresh = found.filter((s) => !known.has(s.key));
    if (fresh.length > 0) {
      const all = [...fresh, ...kept].filter((s) => now.getTime() - Date.parse(s.hour) < KEEP_MS).sort((a, b) => b.hour.localeCompare(a.hour));
      await this.d.markers.set(RECENT, JSON.stringify(all));
      await this.d.counters.count(fresh.map((s) => ({ name: 'otklik_spikes_total', labels: { kind: s.kind, topic: s.topic }, value: 1 })));
      for (const s of fresh) this.d.log.warn({ topic: s.topic, territory: s.territory, count: s.count, expected: s.expected }, 'spike: posts about a topic in a territory surged');
      // Kept first, then told: a notice that fails to queue is found again by no scan, but the
      // console and the API have the spike either way.
      await this.d.outbox?.enqueue(
        fresh.map((s) => ({ event: 'spike' as const, moderators: true as const, bodyIds: [], spike: { key: s.key, kind: s.kind, topic: s.topic, territory: s.territory, hour: s.hour, count: s.count, range: s.range, rising: s.rising, top: s.top } })),
      );
    }
    return fresh;
  }

  private running = false;

  /** Scans now and every `everyMs` while `leads()` holds, one scan at a time; a failed scan is logged. */
  start(everyMs: number, leads: () => boolean): { scanNow(): void; stop(): void } {
    const run = () => {
      if (this.running || !leads()) return;
      this.running = true;
      this.scan()
        .catch((e: unknown) => this.d.log.warn({ err: (e as Error).message }, 'spike scan failed'))
        .finally(() => {
          this.running = false;
        });
    };
    const timer = setInterval(run, everyMs);
    timer.unref();
    return { scanNow: run, stop: () => clearInterval(timer) };
  }
}
