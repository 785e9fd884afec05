import type { Redis } from 'ioredis';
import { routeTableSchema, type RouteTable } from '../../core/routing/router.js';
import type { RedisKeys } from './keys.js';
import type { RouteTables, StoredRouteTable } from '../../ports/route-table.js';

/**
 * The route table admins set through the API. It replaces the rules file's routes and fallback body
 * until cleared; a version counter beside it lets every worker notice a change with one GET.
 */
export class RouteTableStore implements RouteTables {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** 0 when nothing was ever set. */
  async version(): Promise<number> {
    return Number((await this.redis.get(this.keys.routeTableVersion())) ?? 0);
  }

  async get(): Promise<StoredRouteTable | undefined> {
    const json = await this.redis.get(this.keys.routeTable());
    if (json === null) return undefined;
    const v = JSON.parse(json) as Partial<StoredRouteTable>;
    // Written only by set(), after validation; a value that no longer parses is a bug worth a loud error.
    return { table: routeTableSchema.parse(v.table), version: Number(v.version), updatedBy: String(v.updatedBy), updatedAt: String(v.updatedAt) };
  }

  async set(table: RouteTable, updatedBy: string, at: Date): Promise<StoredRouteTable> {
    const version = await this.redis.incr(this.keys.routeTableVersion());
    const stored: StoredRouteTable = { table: routeTableSchema.parse(table), version, updatedBy, updatedAt: at.toISOString() };
    await this.redis.set(this.keys.routeTable(), JSON.stringify(stored));
    return stored;
  }

  /** Back to the rules file's routes. */
  async clear(): Promise<void> {
    await this.redis.multi().del(this.keys.routeTable()).incr(this.keys.routeTableVersion()).exec();
  }
}
