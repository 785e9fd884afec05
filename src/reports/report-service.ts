import type { SearchIndex } from '../ports/search-index.js';
import type { BodyDirectory } from '../core/bodies/bodies.js';
import type { Filters } from '../core/search/query.js';
import { monthPeriod, previousMonth, previousQuarter, quarterPeriod, type Period } from '../core/reports/periods.js';
import { bodyLine, byPerformance, growth, MIN_RANKED_VOLUME, rankBodies, type MonthlyNote, type QuarterlyRating, type RecurringProblem } from '../core/reports/reports.js';

export interface ReportDeps {
  search: SearchIndex;
  bodies: BodyDirectory;
  topicName: (id: string) => string;
  /** Is territory `inner` the same as or inside `outer`? */
  contains: (outer: string, inner: string) => boolean;
  now: () => Date;
}

const MAX_TERRITORIES = 50;

/** Builds the analytical reports from the search index: the same numbers Kibana and the console show. */
export class ReportService {
  constructor(private readonly d: ReportDeps) {}

  private async count(p: Period, f: Filters): Promise<number> {
    return (await this.d.search.search({ ...f, from: p.from, to: p.to, sort: 'newest', page: 1, size: 1 })).total;
  }

  /** The territories seen in the period that lie in the region (the filter every query takes). */
  private async territories(region: string | undefined, periods: Period[]): Promise<Filters> {
    if (!region) return {};
    const seen = new Set<string>();
    for (const p of periods) {
      for (const t of await this.d.search.terms({ field: 'territory', size: 100, from: p.from, to: p.to })) {
        if (this.d.contains(region, t.key)) seen.add(t.key);
      }
    }
    // A region with no posts yet still filters: its own name matches nothing else.
    return { territory: seen.size > 0 ? [...seen].slice(0, MAX_TERRITORIES) : [region] };
  }

  /** Bodies whose territory lies in the region, and the region-wide ones (no territory). */
  private regionBodies(region: string | undefined): string[] {
    return this.d.bodies
      .all()
      .filter((b) => !region || b.territory === undefined || this.d.contains(region, b.territory))
      .map((b) => b.id);
  }

  private name = (id: string): string => (this.d.bodies.has(id) ? this.d.bodies.get(id).name : id);

  async monthly(month: string, region: string | undefined, zone: string): Promise<MonthlyNote> {
    const now = monthPeriod(month, zone);
    const before = monthPeriod(previousMonth(month), zone);
    const history = { label: 'history', from: monthPeriod(previousMonth(previousMonth(previousMonth(month))), zone).from, to: now.from };
    const where = await this.territories(region, [now, before, history]);
    const [posts, postsBefore, alerts, alertsBefore, negative] = await Promise.all([
      this.count(now, where),
      this.count(before, where),
      this.count(now, { ...where, alert: true }),
      this.count(before, { ...where, alert: true }),
      this.count(now, { ...where, sentiment: ['negative'] }),
    ]);
    const topicsNow = await this.d.search.terms({ ...where, field: 'topic', size: 20, alert: true, from: now.from, to: now.to });
    const topicsBefore = new Map((await this.d.search.terms({ ...where, field: 'topic', size: 100, alert: true, from: before.from, to: before.to })).map((t) => [t.key, t.count]));
    const topics = topicsNow.map((t) => ({ topic: t.key, name: this.d.topicName(t.key), alerts: t.count, previous: topicsBefore.get(t.key) ?? 0, growth: growth(t.count, topicsBefore.get(t.key) ?? 0) }));

    const recurring: RecurringProblem[] = [];
    for (const t of topicsNow.slice(0, 5)) {
      const places = await this.d.search.terms({ ...where, field: 'territory', size: 5, alert: true, topic: [t.key], from: now.from, to: now.to });
      for (const place of places) {
        if (place.count < 2) continue;
        const earlier = await this.count(history, { alert: true, topic: [t.key], territory: [place.key] });
        if (earlier > 0) recurring.push({ topic: t.key, name: this.d.topicName(t.key), territory: place.key, alerts: place.count, before: earlier });
      }
    }
    recurring.sort((a, b) => b.alerts + b.before - (a.alerts + a.before));

    const rows = await this.d.search.sla({ from: now.from, to: now.to, body: this.regionBodies(region) }, this.d.now());
    const lines = rows.map((r) => bodyLine(r, this.name));
    const ranked = lines.filter((l) => l.measured >= MIN_RANKED_VOLUME).sort(byPerformance);
    const measured = rows.reduce((n, r) => n + r.measured, 0);
    const met = rows.reduce((n, r) => n + r.met, 0);
    return {
      region: region ?? 'все территории',
      month,
      timeZone: zone,
      generatedAt: this.d.now().toISOString(),
      posts: { total: posts, previous: postsBefore, growth: growth(posts, postsBefore) },
      alerts: { total: alerts, previous: alertsBefore, growth: growth(alerts, alertsBefore) },
      negativeShare: posts === 0 ? null : Math.round((negative / posts) * 1000) / 1000,
      topics,
      sla: { measured, met, compliance: measured === 0 ? null : Math.round((met / measured) * 1000) / 1000 },
      fastest: ranked.slice(0, 3),
      slowest: ranked.length > 3 ? ranked.slice(-3).reverse() : [],
      unranked: lines.filter((l) => l.measured < MIN_RANKED_VOLUME),
      recurring: recurring.slice(0, 10),
    };
  }

  /** The rating of all bodies, or of these (a moderator's regions' bodies). */
  async quarterly(quarter: string, zone: string, bodies?: readonly string[]): Promise<QuarterlyRating> {
    const now = quarterPeriod(quarter, zone);
    const before = quarterPeriod(previousQuarter(quarter), zone);
    const only = bodies ? { body: [...bodies] } : {};
    const [rows, previous] = await Promise.all([this.d.search.sla({ ...only, from: now.from, to: now.to }, this.d.now()), this.d.search.sla({ ...only, from: before.from, to: before.to }, this.d.now())]);
    return { quarter, timeZone: zone, generatedAt: this.d.now().toISOString(), ...rankBodies(rows, this.name, previous) };
  }
}
