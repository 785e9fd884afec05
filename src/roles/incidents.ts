import { Worker } from 'bullmq';
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
import { TimerScheduler } from '../adapters/queue/timer-scheduler.js';
import type { TimerJob } from '../ports/timers.js';
import { NotificationQueue } from '../adapters/queue/notification-queue.js';
import { notifyProcessor } from '../adapters/queue/notify.worker.js';
import { HttpNotificationChannels } from '../adapters/notify/channels.js';
import type { Dispatcher } from 'undici';
import { Notifier } from '../incidents/notifier.js';
import { RedisNotifyTargetStore } from '../adapters/redis/notify-target.store.js';
import { IndexQueueMirror } from '../pipeline/index-queue.mirror.js';
import type { LoadedRules } from './rules.js';
import type { AnswerPublisher } from '../ports/answer-publisher.js';
import { z } from 'zod';
import { LiveRouter } from '../routing/live-router.js';
import { RouteTableStore } from '../adapters/redis/route-table.store.js';
import { RedisModelRegistry } from '../adapters/redis/model-registry.js';

/** The notifications queue as every role enqueues on it, retried as the config says. */
export function notificationOutbox(queues: Pick<PipelineQueues, 'notify'>, config: Pick<Config, 'NOTIFY_ATTEMPTS' | 'NOTIFY_BACKOFF_MS'>): NotificationQueue {
  return new NotificationQueue(queues.notify, { attempts: config.NOTIFY_ATTEMPTS, backoffMs: config.NOTIFY_BACKOFF_MS });
}

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
  /** The HTTP dispatcher notifications go out through (tests inject undici's MockAgent). */
  http?: Dispatcher;
}): IncidentWiring {
  const log = d.log.child({ component: 'incidents' });
  const store = new IncidentStore(d.redis, d.keys);
  const notifications = notificationOutbox(d.queues, d.config);
  const timers = new TimerScheduler(d.queues.timers, d.redis, d.keys, d.rules.transitionEnv, d.now);
  const service = new IncidentService({
    store,
    env: d.rules.transitionEnv,
    timers,
    notifications,
    log,
    now: d.now,
    mirror: new IndexQueueMirror(d.queues),
    labels: new LabelStore(d.redis, d.keys),
    counters: d.counters,
    router: new LiveRouter(d.rules.router, new RouteTableStore(d.redis, d.keys), new RedisModelRegistry(d.redis, d.keys)),
    ...(d.publisher ? { publisher: d.publisher } : {}),
  });
  const workers: Worker[] = [];
  if (d.withWorkers) {
    const opts = { connection: d.redis, prefix: d.config.QUEUE_PREFIX, lockDuration: d.config.PIPELINE_LOCK_MS, stalledInterval: d.config.PIPELINE_LOCK_MS };
    const c = d.config;
    const topicNames = new Map(d.rules.classifier.topicNames().map((t) => [t.id, t.name]));
    const notifier = new Notifier({
      bodies: d.rules.bodies,
      store,
      // The channels get what they need of the config, not the config.
      channels: new HttpNotificationChannels({ telegramApiUrl: c.TELEGRAM_API_URL, ...(c.TELEGRAM_BOT_TOKEN ? { telegramBotToken: c.TELEGRAM_BOT_TOKEN } : {}), ...(c.WEBHOOK_SECRET ? { webhookSecret: c.WEBHOOK_SECRET } : {}), timeoutMs: c.NOTIFY_TIMEOUT_MS, allowInternalTargets: c.NOTIFY_ALLOW_INTERNAL_TARGETS, ...(d.http ? { http: d.http } : {}) }),
      moderators: { ...(c.MODERATORS_TELEGRAM_CHAT_ID ? { telegramChatId: c.MODERATORS_TELEGRAM_CHAT_ID } : {}), ...(c.MODERATORS_WEBHOOK_URL ? { webhookUrl: c.MODERATORS_WEBHOOK_URL } : {}) },
      log: d.log.child({ component: 'notify' }),
      overrides: new RedisNotifyTargetStore(d.redis, d.keys),
      counters: d.counters,
      topicName: (id) => topicNames.get(id) ?? id,
      zone: c.REPORT_TIME_ZONE,
    });
    const notify = notifyProcessor(notifier, notifications);
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
        runStage('notify', notifyJobSchema, d.deadLetters, d.log.child({ component: 'notify' }), (_data, job, token) => notify(job, token)),
        { ...opts, concurrency: 8 },
      ),
    );
  }
  return { service, store, timers, workers };
}
