import type { Router } from '../core/routing/router.js';
import type { RouteTables } from '../ports/route-table.js';

/** The router in force right now. */
export interface RouterSource {
  current(): Promise<Router>;
}

/** A router that never changes (tests, tools). */
export const fixedRouter = (router: Router): RouterSource => ({ current: async () => router });

/**
 * The rules file's router, or the route table admins set through the API when there is one. Checks
 * the table's version at most once per `checkEveryMs` (one GET), rebuilding only when it moved, so a
 * change reaches every worker within that time and costs nothing per post.
 */
export class LiveRouter implements RouterSource {
  private router: Router;
  private version = 0;
  private checkedAt = -Infinity;

  constructor(
    private readonly fromFile: Router,
    private readonly store: RouteTables,
    private readonly checkEveryMs = 1000,
    private readonly clock: () => number = Date.now,
  ) {
    this.router = fromFile;
  }

  async current(): Promise<Router> {
    if (this.clock() - this.checkedAt < this.checkEveryMs) return this.router;
    const version = await this.store.version();
    this.checkedAt = this.clock();
    if (version !== this.version) {
      const stored = await this.store.get();
      this.router = stored ? this.fromFile.withTable(stored.table) : this.fromFile;
      this.version = version;
    }
    return this.router;
  }
}
