import { startThread } from '../platform/threads.js';
import type { Logger } from 'pino';
import type { Markers } from '../ports/markers.js';
import type { Labels } from '../ports/labels.js';
import { RETRAINED_KINDS, type ModelRegistry, type Retraining } from '../ports/model-registry.js';
import type { ClassifierModels } from '../core/classify/classifier.js';
import type { Counters } from '../ports/counters.js';
import type { ProblemRetraining, RouterRetraining, TopicRetraining, Decision } from '../training/retrain.js';
import type { LinearModel } from '../core/classify/linear-model.js';
import type { RoutingLabel } from '../core/routing/learned-router.js';

/** How many decisions had been recorded when the models were last retrained. */
const TRAINED_AT = 'models:trained-at';
/** Set when an admin asks for a retraining; the leading scheduler takes it at its next check. */
const RETRAIN_REQUESTED = 'models:retrain-requested';

/** What the retraining thread is given (roles/retrain.worker.ts reads it as its workerData). */
export interface RetrainInput {
  /** The rule files the classifier is built from (names as in the config). */
  files: { TOPICS_FILE: string; CUES_FILE: string; ALERTS_FILE: string; GAZETTEER_FILE: string; KNOWN_STEMS_FILE: string };
  decisions: Decision[];
  models: ClassifierModels;
  /** Accepts and reroutes as routing labels, and the router model in force (retrained or shipped). */
  routing: RoutingLabel[];
  router?: LinearModel;
  minHeldOut: number;
}

export interface RetrainerDeps {
  labels: Pick<Labels, 'count' | 'latest'>;
  registry: ModelRegistry;
  /** Where the count of decisions at the last retraining, and an admin's request, are kept. */
  markers: Markers;
  counters: Counters;
  log: Logger;
  now: () => Date;
  /** The models shipped in rules/models/, in force for every kind not yet retrained. */
  shipped: ClassifierModels & { router?: LinearModel };
  files: RetrainInput['files'];
  /** The retraining thread's entry file (roles/retrain.worker): a worker thread is its own composition root. */
  workerFile: URL;
  /** New decisions needed since the last retraining before another runs. */
  minNewDecisions: number;
  /** Held-out decisions needed to judge a candidate; fewer, and nothing is promoted. */
  minHeldOut: number;
}

/**
 * The engine's learning loop: on a schedule (and when an admin asks), once enough new decisions have
 * come in, retrains the topic, problem and router models from moderators' decisions in a worker thread,
 * judges each candidate against the model in force on decisions neither learnt from, and promotes
 * it only if it scores no worse. Every retraining is recorded, promoted or refused, with its figures.
 */
export class ModelRetrainer {
  private running: Promise<Retraining[] | undefined> | undefined;

  constructor(private readonly d: RetrainerDeps) {}

  /** Retrains now if enough new decisions came in (or `force`); undefined when there was nothing to do. */
  async retrain(force = false): Promise<Retraining[] | undefined> {
    const count = await this.d.labels.count();
    const last = Number((await this.d.markers.get(TRAINED_AT)) ?? 0);
    if (!force && count - last < this.d.minNewDecisions) return undefined;
    const latest = await this.d.labels.latest();
    const decisions: Decision[] = latest.map((d) => ({ text: d.text, problem: d.problem !== false, ...(d.problem !== false ? { topic: d.topic } : {}) }));
    if (decisions.length === 0) return undefined;
    const routing: RoutingLabel[] = latest.flatMap((d) => (d.body && d.problem !== false ? [{ text: d.text, topic: d.subtopic ?? d.topic, body: d.body, ...(d.territory ? { territory: d.territory } : {}) }] : []));
    const inForce = await this.d.registry.inForce();
    const { router: shippedRouter, ...shippedModels } = this.d.shipped;
    const models: ClassifierModels = {
      ...shippedModels,
      ...(inForce.topics ? { topics: inForce.topics.model } : {}),
      ...(inForce.problem ? { problem: inForce.problem.model } : {}),
    };
    delete models.blend;
    const router = inForce.router?.model ?? shippedRouter;
    const started = Date.now();
    const result = await runWorker(this.d.workerFile, { files: this.d.files, decisions, models, routing, ...(router ? { router } : {}), minHeldOut: this.d.minHeldOut });
    const at = this.d.now().toISOString();
    const out: Retraining[] = [];
    for (const kind of RETRAINED_KINDS) {
      const r: TopicRetraining | ProblemRetraining | RouterRetraining = result[kind];
      // Fewer than two bodies with enough decisions: no router candidate, nothing to record.
      if (!r.candidate) continue;
      const meta: Retraining = {
        kind,
        version: await this.d.registry.nextVersion(kind),
        at,
        // The router learns from the decisions that name a body; the others from all of them.
        decisions: kind === 'router' ? routing.length : decisions.length,
        quality: r.quality,
        promoted: r.promote,
        ...(r.promote ? {} : { reason: refusal(r) }),
      };
      await this.d.registry.record(meta, r.candidate);
      out.push(meta);
    }
    await this.d.markers.set(TRAINED_AT, String(count));
    await this.d.counters.count(out.map((m) => ({ name: 'otklik_model_retrainings_total', labels: { kind: m.kind, outcome: m.promoted ? 'promoted' : 'refused' }, value: 1 })));
    for (const m of out) {
      this.d.log.info(
        { kind: m.kind, version: m.version, decisions: m.decisions, quality: m.quality, seconds: Math.round((Date.now() - started) / 100) / 10 },
        m.promoted ? `${m.kind} model ${m.version} promoted: ${m.quality.candidate} vs ${m.quality.current} on ${m.quality.heldOut} held-out decisions` : `${m.kind} model ${m.version} refused: ${m.reason ?? ''}`,
      );
    }
    return out;
  }


  /**
   * Checks every `tickMs` while `leads()` holds: retrains when asked, or when `everyMs` has passed
   * since the last check that could retrain. One retraining at a time; a failure is logged and the
   * next check tries again. Returns a stop that waits for a retraining in progress.
   */
  start(everyMs: number, leads: () => boolean, tickMs = Math.min(5000, everyMs)): { stop(): Promise<void> } {
    let lastScheduled = Date.now();
    const tick = async () => {
      if (this.running || !leads()) return;
      const requested = (await this.d.markers.take(RETRAIN_REQUESTED)) !== undefined;
      const due = Date.now() - lastScheduled >= everyMs;
      if (!requested && !due) return;
      if (due) lastScheduled = Date.now();
      this.running = this.retrain(requested);
      await this.running;
    };
    const run = () => {
      tick()
        .catch((e: unknown) => this.d.log.error({ err: (e as Error).message }, 'model retraining failed; tried again at the next check'))
        .finally(() => (this.running = undefined));
    };
    const timer = setInterval(run, tickMs);
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await this.running?.catch(() => undefined);
      },
    };
  }
}

/** Asks the leading scheduler to retrain at its next check, whatever the count of new decisions. */
export async function requestRetraining(markers: Pick<Markers, 'set'>, at: Date): Promise<void> {
  await markers.set(RETRAIN_REQUESTED, at.toISOString());
}

function refusal(r: TopicRetraining | ProblemRetraining | RouterRetraining): string {
  if (r.quality.heldOut === 0) return 'no held-out decisions to judge it on';
  if (r.quality.candidate < r.quality.current) return `scored ${r.quality.candidate} against ${r.quality.current} for the model in force on ${r.quality.heldOut} held-out decisions`;
  return `too few held-out decisions to judge it (${r.quality.heldOut})`;
}

/**
 * Runs the retraining in a worker thread. Built code starts the compiled worker; under tsx (tests,
 * `npm run dev`) the worker first registers tsx's loader, as a worker does not inherit it.
 */
type RetrainOutput = { topics: TopicRetraining; problem: ProblemRetraining; router: RouterRetraining };

function runWorker(file: URL, input: RetrainInput): Promise<RetrainOutput> {
  const worker = startThread(file, input);
  return new Promise((resolve, reject) => {
    worker.once('message', (m) => resolve(m as RetrainOutput));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the retraining worker exited with code ${code}`));
    });
  });
}
