import { describe, expect, it } from 'vitest';
import { renderMetrics } from '../../../src/api/metrics.js';
import type { HealthReport } from '../../../src/api/health.js';

const report: HealthReport = {
  status: 'ok',
  role: 'all',
  uptimeS: 5,
  redis: { ok: true, mode: 'private', latencyMs: 1 },
  queues: { analyze: { waiting: 3, active: 1, delayed: 0, failed: 0, completed: 10, prioritized: 0 } },
  stats: { posts_admitted: 40 },
  sources: [
    { sourceId: 'vk-city', itemsSeen: 40, itemsRejected: 2, errors: { PLATFORM_RATE_LIMITED: 1 }, lagSeconds: 12, notices: 1, paused: { until: new Date(Date.now() + 60_000).toISOString(), reason: 'VK error 6' } },
    { sourceId: 'tg', itemsSeen: 0, itemsRejected: 0, errors: {}, notices: 0 },
  ],
  search: { backend: 'embedded', configured: true, ok: true, message: 'ok' },
};

describe('renderMetrics', () => {
  it('exposes source health, queue depths and pipeline counters in the Prometheus text format', async () => {
    const { contentType, body } = await renderMetrics(report);
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
  });
});
