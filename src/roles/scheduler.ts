import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { LabelStore } from '../adapters/redis/label.store.js';
import { LeaderLock } from '../adapters/redis/leader-lock.js';
import type { RedisMarkers } from '../adapters/redis/markers.js';
import { RedisModelRegistry } from '../adapters/redis/model-registry.js';
import type { IncidentService } from '../incidents/incident.service.js';
import { ModelRetrainer } from '../learning/model-retrainer.js';
import type { PollJob } from '../pipeline/payloads.js';
import { PersonalDataRetention } from '../retention/personal-data.js';
import { SpikeWatch } from '../reports/spike-watch.js';
import { notificationOutbox } from './incidents.js';
import { shippedModels } from './rules.js';
import type { BackgroundRoleDeps } from './worker.js';
import { siblingModule } from '../platform/threads.js';

export interface SchedulerRoleDeps extends BackgroundRoleDeps {
  markers: RedisMarkers;
  incidents: Pick<IncidentService, 'replanAll'>;
}

/**
 * The scheduler role. Exactly one scheduler leads (a lock in Redis): it sets the poll schedules,
 * repairs timers, purges personal data past its retention and retrains the models from moderators'
 * decisions; the others stand by and take over when the leader's lock lapses.
 */
export async function startScheduler(d: SchedulerRoleDeps): Promise<LeaderLock> {
  const { config, log, redis, keys, queues, sources, now } = d;
  // The lock is made last (its onLead needs what is set up here); until then nothing leads.
  const held: { lock?: LeaderLock } = {};
  const leads = () => held.lock?.isLeader ?? false;
  const retrainer = new ModelRetrainer({
    labels: new LabelStore(redis, keys),
    registry: new RedisModelRegistry(redis, keys),
    markers: d.markers,
    counters: d.stats,
    log: log.child({ component: 'learning' }),
    now,
    shipped: shippedModels(d.rules),
    files: config,
    // The retraining thread's entry, built or under tsx like this file.
    workerFile: siblingModule(import.meta.url, 'retrain.worker'),
    minNewDecisions: config.MODEL_RETRAIN_MIN_DECISIONS,
    minHeldOut: config.MODEL_MIN_HELD_OUT,
  });
  // Whichever scheduler leads retrains the models, off its main thread.
  const learning = retrainer.start(config.MODEL_RETRAIN_MINUTES * 60_000, leads);
  d.cleanups.push(() => learning.stop());
  const retention = new PersonalDataRetention({ days: config.PERSONAL_DATA_RETENTION_DAYS, search: d.search, deadLetters: d.deadLetters, markers: d.markers, counters: d.stats, now, log }).start(config.RETENTION_SWEEP_MINUTES * 60_000, leads);
  d.cleanups.push(() => retention.stop());
  const spikes = config.SPIKE_CHECK_MINUTES > 0 && d.search ? new SpikeWatch({ search: d.search, markers: d.markers, counters: d.stats, now, log: log.child({ component: 'spikes' }), outbox: notificationOutbox(queues, config) }).start(config.SPIKE_CHECK_MINUTES * 60_000, leads) : undefined;
  d.cleanups.push(async () => spikes?.stop());
  const lead = async () => {
    for (const [id, s] of sources) {
      await queues.byStage.poll.upsertJobScheduler(`poll.${id}`, { every: s.intervalMs }, { name: 'poll', data: { sourceId: id } satisfies PollJob, opts: { removeOnComplete: 100, removeOnFail: 1000 } });
    }
    for (const js of await queues.byStage.poll.getJobSchedulers()) {
      const id = js.key.startsWith('poll.') ? js.key.slice(5) : js.key;
      if (!sources.has(id)) {
        await queues.byStage.poll.removeJobScheduler(js.key);
        log.info({ sourceId: id }, 'removed schedule of a source no longer configured');
      }
    }
    log.info({ sources: [...sources.keys()] }, 'poll schedules set');
    // Repairs timers a crash may have left out of step with their incidents (idempotent).
    const replanned = await d.incidents.replanAll();
    log.info({ incidents: replanned }, 'SLA timers re-planned for open incidents');
    // Not awaited: a long first sweep must not hold up renewing the lead.
    retention.sweepNow();
    spikes?.scanNow();
  };
  const lock = new LeaderLock({ redis, key: keys.schedulerLeader(), id: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, ttlMs: config.LEADER_LOCK_TTL_MS, log: log.child({ component: 'scheduler' }), onLead: lead });
  held.lock = lock;
  await lock.start();
  d.cleanups.push(() => lock.stop());
  return lock;
}
