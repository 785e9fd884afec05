import type { Logger } from 'pino';
import type { Markers } from '../ports/markers.js';
import type { SearchIndex } from '../ports/search-index.js';
import type { Counters } from '../ports/counters.js';
import type { NotificationOutbox } from '../ports/notifications.js';
import type { SpikeRecord } from '../core/spikes/spike.js';
import { parseQuery, searchQuerySchema, termsQuerySchema, trendQuerySchema } from '../core/search/query.js';
import { DEFAULT_SPIKE_OPTIONS, judgeHour, risingWords, type SpikeOptions } from '../core/spikes/detector.js';
import { normalizeText, tokenize } from '../core/classify/text.js';
import { OtklikError } from '../core/errors.js';

/** A surge with its evidence (what moderators are told, how improbable it was, when it was found). */
export type Spike = SpikeRecord;

/** Where the leader keeps the last week's spikes (a marker: one writer, the leader). */
export const SPIKES_MARKER = 'spikes:recent';
const RECENT = SPIKES_MARKER;
/** Spikes are kept for the console and the API this long. */
const KEEP_MS = 7 * 86_400_000;
/** The territories with most posts in the window are watched, each split by topic. */
const TERRITORIES = 30;
const HOUR = 3_600_000;
/** A look back judges at most this many hours (a month): each costs a few index reads per series with posts. */
const MAX_BACKFILL_HOURS = 31 * 24;

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
    const hourEnd = Math.floor(this.d.now().getTime() / HOUR) * HOUR;
    return this.judge(hourEnd - HOUR, hourEnd);
  }

  /**
   * Judges every complete hour in [from, to) (at most MAX_BACKFILL_HOURS of them), each against its
   * own fortnight before: a look back over a period the watch was not running for (a new install,
   * an outage, a replayed archive). The spikes found are kept and told like the scheduled scan's.
   */
  async backfill(from: Date, to: Date): Promise<Spike[]> {
    const first = Math.ceil(from.getTime() / HOUR) * HOUR;
    const last = Math.min(Math.floor(to.getTime() / HOUR) * HOUR, Math.floor(this.d.now().getTime() / HOUR) * HOUR);
    if (last - first > MAX_BACKFILL_HOURS * HOUR) throw new OtklikError('VALIDATION_FAILED', `a look back covers at most ${MAX_BACKFILL_HOURS / 24} days`, { details: { hours: (last - first) / HOUR } });
    return last > first ? this.judge(first, last) : [];
  }

  /** Every complete hour starting in [firstHour, endHour), per watched territory, topic and kind. */
  private async judge(firstHour: number, endHour: number): Promise<Spike[]> {
    const now = this.d.now();
    const from = new Date(firstHour - this.o.baselineDays * 24 * HOUR);
    const window = { from: from.toISOString(), to: new Date(endHour - 1).toISOString() };
    const territories = await this.d.search.terms(parseQuery(termsQuerySchema, { field: 'territory', size: TERRITORIES, ...window }));
    // Where the data starts: hours before it are no history (zeros there would make every series
    // look quiet, and its first busy hours surges).
    const oldest = (await this.d.search.search(parseQuery(searchQuerySchema, { sort: 'oldest', size: 1, ...window }))).items[0]?.createdAt;
    // The scheduled scan judges the same last hour every few minutes: a spike already kept is not
    // searched for its evidence again.
    const kept = await this.recent();
    const known = new Set(kept.map((s) => s.key));
    const historyFrom = Math.max(from.getTime(), oldest ? Math.floor(Date.parse(oldest) / HOUR) * HOUR : from.getTime());
    const fresh: Spike[] = [];
    for (const t of territories) {
      for (const kind of ['posts', 'alerts'] as const) {
        const only = kind === 'alerts' ? { alert: 'true' } : {};
        const buckets = await this.d.search.trends(parseQuery(trendQuerySchema, { interval: 'hour', by: 'topic', territory: t.key, ...only, ...window }));
        const byKey = new Map(buckets.map((b) => [Date.parse(b.key), b]));
        const topics = new Set(buckets.flatMap((b) => Object.keys(b.by)));
        for (const topic of topics) {
          if (topic === 'other') continue;
          for (let hour = firstHour; hour < endHour; hour += HOUR) {
            const series: number[] = [];
            for (let h = Math.max(hour - this.o.baselineDays * 24 * HOUR, historyFrom); h <= hour; h += HOUR) series.push(byKey.get(h)?.by[topic] ?? 0);
            const v = judgeHour(series, this.o);
            const hourStart = new Date(hour);
            const key = `${kind}|${topic}|${t.key}|${hourStart.toISOString()}`;
            if (!v.spike || known.has(key)) continue;
            const hourFilter = { topic, territory: t.key, ...only, from: hourStart.toISOString(), to: new Date(hour + HOUR - 1).toISOString() };
            const top = await this.d.search.search(parseQuery(searchQuerySchema, { ...hourFilter, size: 20, sort: 'newest' }));
            const before = await this.d.search.search(parseQuery(searchQuerySchema, { topic, territory: t.key, ...only, from: new Date(hour - this.o.baselineDays * 24 * HOUR).toISOString(), to: new Date(hour - 1).toISOString(), size: 100, sort: 'newest' }));
            fresh.push({
              key,
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
    }
    if (fresh.length > 0) {
      // A week from when it was found: a look back's finds stay in the console as long as a live one's.
      const all = [...fresh, ...kept].filter((s) => now.getTime() - Date.parse(s.detectedAt) < KEEP_MS).sort((a, b) => b.hour.localeCompare(a.hour));
      await this.d.markers.set(RECENT, JSON.stringify(all));
      // Searchable beyond the week and in Kibana; the console has it from the marker either way.
      await this.d.search.indexSpikes(fresh).catch((e: unknown) => this.d.log.warn({ err: (e as Error).message, spikes: fresh.length }, 'spikes not indexed'));
      await this.d.counters.count(fresh.map((s) => ({ name: 'otklik_spikes_total', labels: { kind: s.kind, topic: s.topic }, value: 1 })));
      for (const s of fresh) this.d.log.warn({ topic: s.topic, territory: s.territory, count: s.count, expected: s.expected }, 'spike: posts about a topic in a territory surged');
      // Kept first, then told: a notice that fails to queue is found again by no scan, but the
      // console and the API have the spike either way.
      await this.d.outbox?.enqueue(fresh.map((spike) => ({ event: 'spike' as const, moderators: true as const, bodyIds: [], spike })));
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
