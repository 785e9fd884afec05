import type { NotifyOverride, NotifyTargets } from '../core/bodies/bodies.js';

/** Reads the notification targets set through the API (the notifier's side). */
export interface NotifyOverrides {
  getMany(bodyIds: readonly string[]): Promise<Map<string, NotifyOverride>>;
}

/** Bodies' notification targets set by admins; they win over the rules file until cleared. */
export interface NotifyTargetStore extends NotifyOverrides {
  all(): Promise<Map<string, NotifyOverride>>;
  set(bodyId: string, targets: NotifyTargets, updatedBy: string, at: Date): Promise<NotifyOverride>;
  clear(bodyId: string): Promise<boolean>;
}
