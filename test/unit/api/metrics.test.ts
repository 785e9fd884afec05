import { describe, expect, it } from 'vitest';
import { renderMetrics } from '../../../src/api/metrics.js';
import type { HealthReport } from '../../../src/api/health.js';

const report: HealthReport = {
  status: 'ok',
  role: 'all',
  uptimeS: 5,
  redis: { ok: true, mode: 'private', latencyMs: 1 },
  queues: { analyze: { waiting: 3, active: 1, delayed: 0, failed: 0, completed: 10, prioritized: 0, oldestWaitingS: 42 } },
  stats: { posts_admitted: 40 },
  sources: [
    { sourceId: 'vk-city', itemsSeen: 40, itemsRejected: 2, errors: { PLATFORM_RATE_LIMITED: 1 }, lagSeconds: 12, notices: 1, paused: { until: new Date(Date.now() + 60_000).toISOString(), reason: 'VK error 6' } },
    { sourceId: 'tg', itemsSeen: 0, itemsRejected: 0, errors: {}, notices: 0 },
  ],
  search: { backend: 'embedded', configured: true, ok: true, message: 'ok' },
};

describe('renderMetrics', () => {
  it('exposes source health, queue depths and pipeline counters in the Prometheus text format', async () => {
    const { contentType, body } = await renderMetrics(report, { counters: [], latenciesMs: {} });
    expect(contentType).toContain('text/plain');
    expect(body).toContain('otklik_up 1');
    expect(body).toContain('otklik_source_items_seen_total{source="vk-city"} 40');
    expect(body).toContain('otklik_source_errors_total{source="vk-city",code="PLATFORM_RATE_LIMITED"} 1');
    expect(body).toContain('otklik_source_lag_seconds{source="vk-city"} 12');
    expect(body).toContain('otklik_source_paused{source="vk-city"} 1');
    expect(body).toContain('otklik_source_paused{source="tg"} 0');
    expect(body).toContain('otklik_source_notices_total{source="vk-city"} 1');
    expect(body).toContain('otklik_queue_jobs{queue="analyze",state="waiting"} 3');
    expect(body).toContain('otklik_pipeline_total{counter="posts_admitted"} 40');
    expect(body).toContain('otklik_queue_oldest_waiting_seconds{queue="analyze"} 42');
  });

  it('renders the counters kept in Redis with their labels, latency quantiles, and the process registry', async () => {
    const { Counter, Registry } = await import('prom-client');
    const own = new Registry();
    new Counter({ name: 'otklik_api_test_total', help: 'a process-local metric', registers: [own] }).inc(3);
    const { body } = await renderMetrics(
      report,
      {
        counters: [
          { name: 'otklik_posts_analyzed_total', labels: { source: 'vk-city' }, value: 38 },
          { name: 'otklik_posts_analyzed_total', labels: { source: 'tg' }, value: 2 },
          { name: 'otklik_sla_breaches_total', labels: { body: 'city-roads', clock: 'first_response', scope: 'body' }, value: 1 },
          { name: 'not a metric name', labels: {}, value: 1 },
        ],
        latenciesMs: { capture_to_routed: [100, 200, 300, 400, 5000] },
      },
      own,
    );
    expect(body).toContain('# TYPE otklik_posts_analyzed_total counter');
    expect(body).toContain('otklik_posts_analyzed_total{source="vk-city"} 38');
    expect(body).toContain('otklik_posts_analyzed_total{source="tg"} 2');
    expect(body).toContain('otklik_sla_breaches_total{body="city-roads",clock="first_response",scope="body"} 1');
    expect(body).not.toContain('not a metric name');
    expect(body).toContain('otklik_latency_seconds{name="capture_to_routed",quantile="0.5"} 0.3');
    expect(body).toContain('otklik_latency_seconds{name="capture_to_routed",quantile="0.99"} 5');
    expect(body).toContain('otklik_latency_samples{name="capture_to_routed"} 5');
    expect(body).toContain('otklik_api_test_total 3');
  });
});
