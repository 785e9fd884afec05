/**
 * `npm run bench`: every benchmark of the engine. Human-readable lines first; the last line is one
 * JSON object with every figure, units in the key names.
 */
import { machine } from './machine.js';
import { benchPipeline } from './pipeline.bench.js';
import { benchSla } from './sla.bench.js';

const copies = Number(process.argv[2] ?? 40);
const m = machine();
process.stdout.write(`machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gb} GiB, Node ${m.node}, ${m.os}\n`);
process.stdout.write(`pipeline: demo corpus ×${copies}, replayed at full speed through poll → analyze → route → index\n`);
const p = await benchPipeline(copies);
process.stdout.write(
  `  ${p.pipeline_posts} posts, ${p.pipeline_posts_per_s} posts/s; capture→routed p50 ${p.capture_to_routed_p50_ms} ms, p95 ${p.capture_to_routed_p95_ms} ms; peak RSS ${p.peak_rss_mb} MB, Redis peak ${p.redis_peak_memory_mb} MB\n`,
);
process.stdout.write('SLA clock: one-working-day deadlines on the Russian calendar, Europe/Moscow\n');
const sla = benchSla();
process.stdout.write(`  working-time:480 ${sla.sla_deadlines_per_s} deadlines/s; next-working-day ${sla.sla_next_working_day_per_s} deadlines/s\n`);
process.stdout.write(JSON.stringify({ machine: m, ...p, ...sla }) + '\n');
