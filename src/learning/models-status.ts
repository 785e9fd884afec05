import type { ClassifierModels } from '../core/classify/classifier.js';
import type { LinearModel } from '../core/classify/linear-model.js';
import type { Labels } from '../ports/labels.js';
import { RETRAINED_KINDS, type ModelRegistry, type Retraining } from '../ports/model-registry.js';

/** One model in force, as /health and the admin console show it. */
export interface ModelStatus {
  /** `shipped` (rules/models/) or the version the engine trained (`topics-3`). */
  version: string;
  trainedOn: string;
  /** Moderators' decisions it learnt from (absent for a shipped model). */
  decisions?: number;
  /** Its quality on decisions it never learnt from, against the model it replaced. */
  quality?: Retraining['quality'];
  promotedAt?: string;
}

export interface ModelsStatus {
  topics?: ModelStatus;
  problem?: ModelStatus;
  sentiment?: ModelStatus;
  /** The learned router (absent until one is shipped or learnt). */
  router?: ModelStatus;
  /** Moderators' decisions recorded so far (accepts, reclassifications, reroutes, rejections as noise). */
  decisions: number;
  /** The latest retrainings, newest first, promoted or refused. */
  retrainings: Retraining[];
}

/** What the engine classifies with right now, what it learnt from, and how it scored. */
export async function modelsStatus(registry: Pick<ModelRegistry, 'inForce' | 'history'>, labels: Pick<Labels, 'count'>, shipped: ClassifierModels & { router?: LinearModel }, history = 5): Promise<ModelsStatus> {
  const [inForce, retrainings, decisions] = await Promise.all([registry.inForce(), registry.history(history), labels.count()]);
  const out: ModelsStatus = { decisions, retrainings };
  for (const kind of RETRAINED_KINDS) {
    const m = inForce[kind];
    const file = shipped[kind];
    if (m) out[kind] = { version: m.version, trainedOn: m.model.trainedOn, decisions: m.meta.decisions, quality: m.meta.quality, promotedAt: m.meta.at };
    else if (file) out[kind] = { version: 'shipped', trainedOn: file.trainedOn };
  }
  if (shipped.sentiment) out.sentiment = { version: 'shipped', trainedOn: shipped.sentiment.trainedOn };
  return out;
}
