/** A lock held by this process until released (or until its time runs out, if the process dies). */
export interface HeldLock {
  release(): Promise<void>;
}

/** Named locks shared by every process (a source polled by one worker at a time). */
export interface Locks {
  /** The lock, or undefined at once when someone else holds it. */
  acquire(name: string, ttlMs: number): Promise<HeldLock | undefined>;
}
