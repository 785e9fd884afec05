import { Counter, Gauge, Registry } from 'prom-client';
import type { HealthReport } from './health.js';
import type { CounterSample } from '../ports/counters.js';
import { percentile } from '../core/numbers.js';

/** What Redis holds for /metrics beyond the health report: labelled counters and latency samples. */
export interface Telemetry {
  counters: CounterSample[];
  /** Recent samples in milliseconds, by name (e.g. capture_to_routed). */
  latenciesMs: Record<string, number[]>;
}

const HELP: Record<string, string> = {
  otklik_posts_analyzed_total: 'Posts classified (each revision once), by source.',
  otklik_posts_classified_total: 'Posts classified, by top-level topic, sentiment, message type and whether they became an alert.',
  otklik_posts_indexed_total: 'Posts written to the search backend (each revision once), by source.',
  otklik_alerts_opened_total: 'Alerts opened for moderators, by topic and proposed body.',
  otklik_duplicates_attached_total: 'Posts attached to an earlier alert as near-copies, by source.',
  otklik_dead_letters_total: 'Items set aside in the dead-letter queue, by stage and error code.',
  otklik_spikes_total: 'Surges of posts about a topic in a territory beyond its normal level for the hour, by topic.',
  otklik_stage_holds_total: 'Times a stage paused its queue because a backend was unreachable (no attempt spent), by stage and code.',
  otklik_notifications_delivered_total: 'Notifications delivered to a receiver, by channel (telegram, webhook).',
  otklik_notification_failures_total: 'Failed delivery attempts (each is retried until its attempts run out), by channel and error code.',
  otklik_incident_transitions_total: 'Incident transitions, by action (accept, reject, answer, clock_due…).',
  otklik_sla_warnings_total: 'SLA warnings fired, by body, clock kind and scope.',
  otklik_sla_breaches_total: 'SLA breaches (a clock past its due time), by body, clock kind and scope.',
};

/**
 * The engine's metrics in Prometheus' text format, built per scrape from Redis (every process adds
 * there, so any API process renders the same totals) plus this process's own registry (HTTP
 * latency, Node's process metrics).
 */
export async function renderMetrics(report: HealthReport, telemetry: Telemetry, own?: Registry): Promise<{ contentType: string; body: string }> {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });
  gauge('otklik_up', 'Whether the engine reaches its Redis (1) or not (0).').set(report.redis.ok ? 1 : 0);

  const seen = gauge('otklik_source_items_seen_total', 'Items a source delivered to the pipeline.', ['source']);
  const rejected = gauge('otklik_source_items_rejected_total', 'Items a source delivered that went to the dead letters.', ['source']);
  const errors = gauge('otklik_source_errors_total', 'Failed polls of a source, by error code.', ['source', 'code']);
  const lag = gauge('otklik_source_lag_seconds', 'Seconds since the last successful poll of a source.', ['source']);
  const paused = gauge('otklik_source_paused', 'Whether polling a source is held off (rate limit, refused credentials).', ['source']);
  const notices = gauge('otklik_source_notices_total', 'Times a source reported something it could not see.', ['source']);
  for (const s of report.sources) {
    seen.set({ source: s.sourceId }, s.itemsSeen);
    rejected.set({ source: s.sourceId }, s.itemsRejected);
    for (const [code, n] of Object.entries(s.errors)) errors.set({ source: s.sourceId, code }, n);
    if (s.lagSeconds !== undefined) lag.set({ source: s.sourceId }, s.lagSeconds);
    paused.set({ source: s.sourceId }, s.paused && Date.parse(s.paused.until) > Date.now() ? 1 : 0);
    notices.set({ source: s.sourceId }, s.notices);
  }

  const depth = gauge('otklik_queue_jobs', 'Jobs in a pipeline queue, by state.', ['queue', 'state']);
  const age = gauge('otklik_queue_oldest_waiting_seconds', 'How long the oldest waiting job of a queue has waited.', ['queue']);
  for (const [queue, d] of Object.entries(report.queues)) {
    for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const) depth.set({ queue, state }, d[state]);
    age.set({ queue }, d.oldestWaitingS ?? 0);
  }
  const stats = gauge('otklik_pipeline_total', 'Pipeline counters (posts admitted, completed, incidents opened...).', ['counter']);
  for (const [counter, n] of Object.entries(report.stats)) stats.set({ counter }, n);

  // Counters kept in Redis: one metric per name, its label names from what was stored.
  const byName = new Map<string, CounterSample[]>();
  for (const s of telemetry.counters) {
    const list = byName.get(s.name);
    if (list) list.push(s);
    else byName.set(s.name, [s]);
  }
  for (const [name, samples] of byName) {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) continue;
    const labelNames = [...new Set(samples.flatMap((s) => Object.keys(s.labels)))].sort();
    const counter = new Counter({ name, help: HELP[name] ?? name, labelNames, registers: [registry] });
    for (const s of samples) counter.inc(Object.fromEntries(labelNames.map((l) => [l, s.labels[l] ?? ''])), s.value);
  }

  const latency = gauge('otklik_latency_seconds', 'Recent latencies (the last 10,000 samples) by quantile: capture_to_routed is from capture to an alert or routing decision.', ['name', 'quantile']);
  const samplesN = gauge('otklik_latency_samples', 'How many recent samples the latency quantiles are computed from.', ['name']);
  for (const [name, ms] of Object.entries(telemetry.latenciesMs)) {
    samplesN.set({ name }, ms.length);
    for (const q of [0.5, 0.95, 0.99]) {
      const v = percentile(ms, q);
      if (v !== null) latency.set({ name, quantile: String(q) }, v / 1000);
    }
  }

  const merged = own ? Registry.merge([registry, own]) : registry;
  return { contentType: registry.contentType, body: await merged.metrics() };
}
