import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { RedisKeys } from '../adapters/redis/keys.js';
import { IncidentStore } from '../adapters/redis/incident.store.js';
import { LabelStore } from '../adapters/redis/label.store.js';
import type { Counters } from '../ports/counters.js';
import type { PipelineQueues } from '../pipeline/queues.js';
import type { DeadLetters } from '../pipeline/dead-letter.js';
import { runStage } from '../pipeline/stage-runner.js';
import { IncidentService } from '../incidents/incident.service.js';
import { TimerScheduler, type TimerJob } from '../incidents/timer-scheduler.js';
import { NotificationQueue, type NotificationJob } from '../incidents/notification-queue.js';
import { Notifier, type Delivery } from '../incidents/notifier.js';
import { RedisNotifyTargetStore } from '../adapters/redis/notify-target.store.js';
import { IndexQueueMirror } from '../pipeline/index-queue.mirror.js';
import type { LoadedRules } from './rules.js';
import type { AnswerPublisher } from '../ports/answer-publisher.js';
import { z } from 'zod';

export interface IncidentWiring {
  service: IncidentService;
  store: IncidentStore;
  timers: TimerScheduler;
  workers: Worker[];
}

const timerJobSchema = z.object({ incidentId: z.string(), clockId: z.string(), kind: z.enum(['warning', 'due']), fraction: z.number().optional(), at: z.string() });
const notifyJobSchema = z.object({}).passthrough();

/** The incident side of the engine: the service, and (for the worker role) the timer and notify workers. */
export function wireIncidents(d: {
  config: Config;
  log: Logger;
  redis: Redis;
  keys: RedisKeys;
  queues: PipelineQueues;
  deadLetters: DeadLetters;
  /** Where transitions, SLA warnings and breaches are counted for /metrics. */
  counters: Counters;
  rules: LoadedRules;
  now: () => Date;
  withWorkers: boolean;
  publisher?: AnswerPublisher;
}): IncidentWiring {
  const log = d.log.child({ component: 'incidents' });
  const store = new IncidentStore(d.redis, d.keys);
  const timers = new TimerScheduler(d.queues.timers, d.redis, d.keys, d.rules.transitionEnv, d.now);
  const service = new IncidentService({
    store,
    env: d.rules.transitionEnv,
    timers,
    notifications: new NotificationQueue(d.queues.notify, { attempts: d.config.NOTIFY_ATTEMPTS, backoffMs: d.config.NOTIFY_BACKOFF_MS }),
    log,
    now: d.now,
    mirror: new IndexQueueMirror(d.queues),
    labels: new LabelStore(d.redis, d.keys),
    counters: d.counters,
    ...(d.publisher ? { publisher: d.publisher } : {}),
  });
  const workers: Worker[] = [];
  if (d.withWorkers) {
    const opts = { connection: d.redis, prefix: d.config.QUEUE_PREFIX, lockDuration: d.config.PIPELINE_LOCK_MS, stalledInterval: d.config.PIPELINE_LOCK_MS };
    const notifier = new Notifier({ config: d.config, bodies: d.rules.bodies, store, queue: d.queues.notify, log: d.log.child({ component: 'notify' }), overrides: new RedisNotifyTargetStore(d.redis, d.keys), counters: d.counters });
    workers.push(
      new Worker(
        'timers',
        runStage<TimerJob>('timers', timerJobSchema, d.deadLetters, log, async (data, job) => {
          await service.fireTimer(data, job.id ?? '');
          return {};
        }),
        { ...opts, concurrency: 16 },
      ),
      new Worker(
        'notify',
        runStage<NotificationJob | Delivery>('notify', notifyJobSchema, d.deadLetters, d.log.child({ component: 'notify' }), async (_data, job, token) =>
          job.name === 'deliver' ? notifier.deliver(job as Job<Delivery>, token) : notifier.expand(job as Job<NotificationJob>),
        ),
        { ...opts, concurrency: 8 },
      ),
    );
  }
  return { service, store, timers, workers };
}
