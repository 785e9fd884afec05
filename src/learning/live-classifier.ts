import { Classifier, type ClassifierModels } from '../core/classify/classifier.js';
import type { ModelRegistry } from '../ports/model-registry.js';

/** The classifier in force right now. */
export interface ClassifierSource {
  current(): Promise<Classifier>;
}

/** A classifier that never changes (tests, tools). */
export const fixedClassifier = (classifier: Classifier): ClassifierSource => ({ current: async () => classifier });

/**
 * The shipped classifier, with the models the engine retrained from moderators' decisions in place
 * of the shipped ones once they are promoted. Checks the registry's generation at most once per
 * `checkEveryMs` (one GET), rebuilding only when it moved: a promotion reaches every worker within
 * that time, with no restart, and costs nothing per post.
 */
export class LiveClassifier implements ClassifierSource {
  private classifier: Classifier;
  private generation = 0;
  private checkedAt = -Infinity;

  constructor(
    private readonly shipped: Classifier,
    private readonly registry: Pick<ModelRegistry, 'generation' | 'inForce'>,
    private readonly checkEveryMs = 1000,
    private readonly clock: () => number = Date.now,
  ) {
    this.classifier = shipped;
  }

  async current(): Promise<Classifier> {
    if (this.clock() - this.checkedAt < this.checkEveryMs) return this.classifier;
    const generation = await this.registry.generation();
    this.checkedAt = this.clock();
    if (generation !== this.generation) {
      const inForce = await this.registry.inForce();
      const models: ClassifierModels = { ...this.shipped.models };
      if (inForce.topics) models.topics = inForce.topics.model;
      if (inForce.problem) models.problem = inForce.problem.model;
      // The blend travels with the topic model; a stale explicit one must not override it.
      delete models.blend;
      this.classifier = new Classifier(this.shipped.rules, models);
      this.generation = generation;
    }
    return this.classifier;
  }
}
