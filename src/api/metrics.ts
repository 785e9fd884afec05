import { Gauge, Registry } from 'prom-client';
import type { HealthReport } from './health.js';

/**
 * The health report in Prometheus' text format, built per scrape from the same data as /health
 * (Redis holds the truth; the API process keeps no counters of its own): per source what it saw,
 * its errors by code, its lag, whether it is paused and what it could not see; queue depths;
 * pipeline counters.
 */
export async function renderMetrics(report: HealthReport): Promise<{ contentType: string; body: string }> {
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
  for (const [queue, d] of Object.entries(report.queues)) for (const [state, n] of Object.entries(d)) if (typeof n === 'number') depth.set({ queue, state }, n);
  const stats = gauge('otklik_pipeline_total', 'Pipeline counters (posts admitted, completed, incidents opened...).', ['counter']);
  for (const [counter, n] of Object.entries(report.stats)) stats.set({ counter }, n);

  return { contentType: registry.contentType, body: await registry.metrics() };
}
