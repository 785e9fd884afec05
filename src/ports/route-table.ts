import type { RouteTable } from '../core/routing/router.js';

export interface StoredRouteTable {
  table: RouteTable;
  version: number;
  updatedBy: string;
  updatedAt: string;
}

/** The route table admins set through the API; it replaces the rules file's until cleared. */
export interface RouteTables {
  /** Changes whenever the table does: one cheap read tells a worker whether to reload. */
  version(): Promise<number>;
  get(): Promise<StoredRouteTable | undefined>;
  set(table: RouteTable, updatedBy: string, at: Date): Promise<StoredRouteTable>;
  clear(): Promise<void>;
}
