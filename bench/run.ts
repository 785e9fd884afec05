import { benchClassify } from './classify.bench.js';
/**
 * `npm run bench [-- <corpus copies> <open incidents> <indexed posts>]`: every benchmark of the engine. Human-readable lines first; the last line is one
 * JSON object with every figure, units in the key names.
 */
import { machine, machineReferenceMs } from './machine.js';
import { benchPipeline } from './pipeline.bench.js';
import { benchSla } from './sla.bench.js';
import { benchTimers } from './timers.bench.js';
import { benchSearch } from './search.bench.js';
import { loadConfig } from '../src/config/config.js';
import { limitHeapGrowth } from '../src/platform/heap.js';

// As the engine's entry point does (src/main.ts), before anything grows the heap: the peak RSS
// measured below is the engine's as it runs in production.
limitHeapGrowth(loadConfig(process.env).HEAP_GROWTH_PERCENT);

const copies = Number(process.argv[2] ?? 40);
const incidents = Number(process.argv[3] ?? 100_000);
const indexed = Number(process.argv[4] ?? 1_000_000);
const m = machine();
const referenceBefore = machineReferenceMs();
process.stdout.write(`machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gb} GiB, Node ${m.node}, ${m.os}; reference loop ${referenceBefore} ms (lower is faster)\n`);
process.stdout.write(`pipeline: demo corpus ×${copies}, replayed at full speed through poll → analyze → route → index\n`);
const p = await benchPipeline(copies);
process.stdout.write(
  `  ${p.pipeline_posts} posts, ${p.pipeline_posts_per_s} posts/s; capture→routed p50 ${p.capture_to_routed_p50_ms} ms, p95 ${p.capture_to_routed_p95_ms} ms; peak RSS ${p.peak_rss_mb} MB, Redis peak ${p.redis_peak_memory_mb} MB\n`,
);
// Latency where it is felt: a steady 1,000 posts a second (a quarter of the copies, so the run stays short).
const steadyCopies = Math.max(1, Math.round(copies / 4));
process.stdout.write(`pipeline: demo corpus ×${steadyCopies}, offered at a steady 1,000 posts/s\n`);
const steady = await benchPipeline(steadyCopies, 1000);
const at1000 = { capture_to_routed_p50_ms_at_1000: steady.capture_to_routed_p50_ms, capture_to_routed_p95_ms_at_1000: steady.capture_to_routed_p95_ms, pipeline_posts_per_s_at_1000: steady.pipeline_posts_per_s };
process.stdout.write(`  ${steady.pipeline_posts} posts, ${steady.pipeline_posts_per_s} posts/s; capture→routed p50 ${steady.capture_to_routed_p50_ms} ms, p95 ${steady.capture_to_routed_p95_ms} ms\n`);
process.stdout.write('classification: language, topics (rules + model), sentiment (model + lexicon), sarcasm, type, territory, alert, near-duplicate fingerprint; one core\n');
const cl = benchClassify();
process.stdout.write(`  ${cl.classify_posts_per_s} posts/s, median of five rounds (best ${cl.classify_posts_per_s_best}; rules only, no trained models: ${cl.classify_posts_per_s_rules_only} posts/s)\n`);
process.stdout.write('SLA clock: one-working-day deadlines on the Russian calendar, Europe/Moscow\n');
const sla = benchSla();
process.stdout.write(`  working-time:480 ${sla.sla_deadlines_per_s} deadlines/s; next-working-day ${sla.sla_next_working_day_per_s} deadlines/s\n`);
const spreadS = Math.max(10, Math.ceil(incidents / 850));
process.stdout.write(`SLA timers: ${incidents} open incidents, breaches due over ${spreadS} s, fired by the timer worker\n`);
const tm = await benchTimers(incidents, spreadS);
process.stdout.write(
  `  planned ${tm.timers_plan_per_s}/s; lateness p50 ${tm.timers_fire_lateness_p50_ms} ms, p99 ${tm.timers_fire_lateness_p99_ms} ms, max ${tm.timers_fire_lateness_max_ms} ms; within 1 s: ${tm.timers_within_1s_pct} %\n`,
);
process.stdout.write(`embedded search index: ${indexed} posts indexed, then a mix of queries (20 runs each)\n`);
const se = await benchSearch(indexed);
process.stdout.write(
  `  indexed ${se.search_index_posts_per_s} posts/s (${se.search_index_size_mb} MB); queries p50 ${se.search_query_p50_ms} ms, p95 ${se.search_query_p95_ms} ms\n`,
);
const referenceAfter = machineReferenceMs();
process.stdout.write(`machine: reference loop ${referenceAfter} ms after the benchmarks (${referenceBefore} ms before)\n`);
process.stdout.write(JSON.stringify({ machine: { ...m, reference_ms_before: referenceBefore, reference_ms_after: referenceAfter }, ...p, ...at1000, ...cl, ...sla, ...tm, ...se }) + '\n');
