import { z } from 'zod';
import type { LinearModel } from '../core/classify/linear-model.js';

/** The models the engine retrains from moderators' decisions. */
export const RETRAINED_KINDS = ['topics', 'problem', 'router'] as const;
export type RetrainedKind = (typeof RETRAINED_KINDS)[number];

const qualitySchema = z.object({ candidate: z.number(), current: z.number(), heldOut: z.number().int(), trainedOn: z.number().int() }).strict();

/** One retraining of one model: what it learnt from, how it scored against the model in force, and the verdict. */
export const retrainingSchema = z
  .object({
    kind: z.enum(RETRAINED_KINDS),
    version: z.string(),
    at: z.string(),
    /** Decisions recorded when it was trained (all of them; a fifth is held out for judging). */
    decisions: z.number().int(),
    /** Quality on the held-out decisions: topic macro-F1, mean recall of problem / no problem, or the share routed to the body moderators chose. */
    quality: qualitySchema,
    promoted: z.boolean(),
    /** Why it was refused, when it was. */
    reason: z.string().optional(),
  })
  .strict();
export type Retraining = z.infer<typeof retrainingSchema>;


/** A model in force, with what it was trained on and how it scored. */
export interface ModelInForce {
  version: string;
  meta: Retraining;
  model: LinearModel;
}

/**
 * Every model version the engine trained, the one in force per kind, and the log of retrainings.
 * A promotion moves the version in force and the generation together.
 */
export interface ModelRegistry {
  /** Bumped on every promotion; 0 while the shipped models are in force. */
  generation(): Promise<number>;
  /** The retrained models in force (kinds never promoted are absent: the shipped file rules). */
  inForce(): Promise<Partial<Record<RetrainedKind, ModelInForce>>>;
  /** Records a retraining; a promoted model goes into force at once, with a new generation. */
  record(meta: Retraining, model: LinearModel): Promise<void>;
  /** The latest retrainings, newest first. */
  history(limit?: number): Promise<Retraining[]>;
  /** The next version id of a kind: `topics-3`. */
  nextVersion(kind: RetrainedKind): Promise<string>;
}
