import type { Router } from '../core/routing/router.js';
import type { RouteTables } from '../ports/route-table.js';
import type { ModelRegistry } from '../ports/model-registry.js';

/** The router in force right now. */
export interface RouterSource {
  current(): Promise<Router>;
}

/** A router that never changes (tests, tools). */
export const fixedRouter = (router: Router): RouterSource => ({ current: async () => router });

/**
 * The rules file's router, or the route table admins set through the API when there is one, with the
 * router model the engine learnt from moderators in place of the shipped one once it is promoted.
 * Checks the table's version and the models' generation at most once per `checkEveryMs`, rebuilding
 * only when one moved, so a change reaches every worker within that time and costs nothing per post.
 */
export class LiveRouter implements RouterSource {
  private router: Router;
  private version = 0;
  private generation = 0;
  private checkedAt = -Infinity;

  constructor(
    private readonly fromFile: Router,
    private readonly store: RouteTables,
    /** Where a promoted router model is found; without it, the rules file's model (if any) stays. */
    private readonly registry?: Pick<ModelRegistry, 'generation' | 'inForce'>,
    private readonly checkEveryMs = 1000,
    private readonly clock: () => number = Date.now,
  ) {
    this.router = fromFile;
  }

  async current(): Promise<Router> {
    if (this.clock() - this.checkedAt < this.checkEveryMs) return this.router;
    const [version, generation] = await Promise.all([this.store.version(), this.registry?.generation() ?? 0]);
    this.checkedAt = this.clock();
    if (version !== this.version || generation !== this.generation) {
      const stored = version !== 0 ? await this.store.get() : undefined;
      const learned = generation !== 0 ? (await this.registry?.inForce())?.router?.model : undefined;
      const base = learned ? this.fromFile.withLearned(learned) : this.fromFile;
      this.router = stored ? base.withTable(stored.table) : base;
      this.version = version;
      this.generation = generation;
    }
    return this.router;
  }
}
