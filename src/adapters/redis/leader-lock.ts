import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface LeaderLockOptions {
  redis: Redis;
  key: string;
  /** Who holds it (host and pid): shown to operators, compared on renew and release. */
  id: string;
  ttlMs: number;
  log: Logger;
  /** Runs each time this process becomes the leader (again). */
  onLead: () => Promise<void>;
}

/**
 * Exactly one holder at a time: a key set with NX and a TTL, renewed at a third of the TTL by its
 * holder only (compare and expire in one script). A standby tries at the same pace and takes over
 * within one TTL of the leader dying; a leader that cannot renew in time steps down.
 */
export class LeaderLock {
  private timer: NodeJS.Timeout | undefined;
  private leading = false;
  private stopped = false;

  constructor(private readonly o: LeaderLockOptions) {}

  get isLeader(): boolean {
    return this.leading;
  }

  async start(): Promise<void> {
    await this.tick();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), Math.max(50, Math.floor(this.o.ttlMs / 3)));
  }

  private async tick(): Promise<void> {
    try {
      if (this.leading) {
        const renewed = Number(await this.o.redis.eval(RENEW, 1, this.o.key, this.o.id, String(this.o.ttlMs)));
        if (renewed !== 1) {
          this.leading = false;
          this.o.log.error({ key: this.o.key }, 'lost the scheduler lead (lock expired or taken); standing by');
        }
      } else {
        const got = await this.o.redis.set(this.o.key, this.o.id, 'PX', this.o.ttlMs, 'NX');
        if (got === 'OK') {
          this.leading = true;
          this.o.log.info({ key: this.o.key, id: this.o.id }, 'this process leads the scheduler');
          try {
            await this.o.onLead();
          } catch (e) {
            // Half-done leadership helps nobody: give the lead back so this or another process retries.
            this.leading = false;
            await this.o.redis.eval(RELEASE, 1, this.o.key, this.o.id).catch(() => undefined);
            throw e;
          }
        }
      }
    } catch (e) {
      this.o.log.warn({ err: (e as Error).message }, 'leader lock: Redis call failed; will retry');
    }
    this.schedule();
  }

  /** Who leads now (undefined when nobody). */
  async holder(): Promise<string | undefined> {
    return (await this.o.redis.get(this.o.key)) ?? undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.leading) await this.o.redis.eval(RELEASE, 1, this.o.key, this.o.id).catch(() => undefined);
    this.leading = false;
  }
}
