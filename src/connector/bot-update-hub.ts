import { OtklikError } from '../core/errors.js';

/**
 * Telegram confirms every update below the offset any caller of `getUpdates` sends, so two sources
 * reading one bot would confirm (and lose) each other's updates. The hub makes one reader per bot:
 * whoever holds the bot reads `getUpdates` and puts every update into the inbox of every source on
 * that bot, in the same step as it moves the bot's offset; each source then reads its own inbox at
 * its own pace. The engine keeps the hub in Redis (one reader across processes, nothing lost on a
 * crash); without Redis (unit tests, one-off tools) it lives in memory.
 */
export interface BotUpdateHub {
  /** Says this source reads the bot: from now on it gets every update read from it. */
  subscribe(bot: string, sourceId: string): Promise<void>;
  /**
   * Runs `read` as the only reader of the bot, or returns false at once when another reader holds
   * it. `read` gets the bot's next offset (undefined before the first read) and returns what it read
   * and the offset after it; both are kept together, so an update confirmed to Telegram is already
   * in every inbox.
   */
  readExclusive(bot: string, holdMs: number, read: (offset: number | undefined) => Promise<{ updates: readonly unknown[]; nextOffset: number }>): Promise<boolean>;
  /** Up to `limit` updates of this source's inbox after `after` ('' for the start), oldest first. */
  inbox(bot: string, sourceId: string, after: string, limit: number): Promise<{ position: string; update: unknown }[]>;
  /** Forgets the source's inbox before `upTo` (a position its saved cursor has reached). */
  trim(bot: string, sourceId: string, upTo: string): Promise<void>;
  /** Remembers that two messages are one (a channel post and its copy in the discussion group), both ways. */
  link(bot: string, a: string, b: string, ttlSeconds: number): Promise<void>;
  /** What each key is linked to, for the keys that are. */
  linked(bot: string, keys: readonly string[]): Promise<Map<string, string>>;
}

/** The hub in one process's memory: the same behaviour, without durability or other processes. */
export class MemoryBotUpdateHub implements BotUpdateHub {
  private readonly bots = new Map<string, { offset?: number; reading: boolean; subscribers: Set<string>; inboxes: Map<string, { position: string; update: unknown }[]>; seq: number }>();
  private readonly links = new Map<string, { to: string; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  private bot(bot: string) {
    let b = this.bots.get(bot);
    if (!b) {
      b = { reading: false, subscribers: new Set(), inboxes: new Map(), seq: 0 };
      this.bots.set(bot, b);
    }
    return b;
  }

  async subscribe(bot: string, sourceId: string): Promise<void> {
    this.bot(bot).subscribers.add(sourceId);
  }

  async readExclusive(bot: string, _holdMs: number, read: (offset: number | undefined) => Promise<{ updates: readonly unknown[]; nextOffset: number }>): Promise<boolean> {
    const b = this.bot(bot);
    if (b.reading) return false;
    b.reading = true;
    try {
      const r = await read(b.offset);
      for (const update of r.updates) {
        const position = `${++b.seq}-0`;
        for (const s of b.subscribers) {
          const box = b.inboxes.get(s) ?? [];
          box.push({ position, update });
          b.inboxes.set(s, box);
        }
      }
      b.offset = Math.max(b.offset ?? 0, r.nextOffset);
      return true;
    } finally {
      b.reading = false;
    }
  }

  async inbox(bot: string, sourceId: string, after: string, limit: number): Promise<{ position: string; update: unknown }[]> {
    const box = this.bot(bot).inboxes.get(sourceId) ?? [];
    return box.filter((e) => comparePositions(e.position, after) > 0).slice(0, limit);
  }

  async trim(bot: string, sourceId: string, upTo: string): Promise<void> {
    const b = this.bot(bot);
    const box = b.inboxes.get(sourceId);
    if (box) b.inboxes.set(sourceId, box.filter((e) => comparePositions(e.position, upTo) >= 0));
  }

  async link(bot: string, a: string, b: string, ttlSeconds: number): Promise<void> {
    const until = this.now() + ttlSeconds * 1000;
    this.links.set(`${bot}:${a}`, { to: b, until });
    this.links.set(`${bot}:${b}`, { to: a, until });
  }

  async linked(bot: string, keys: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const k of keys) {
      const l = this.links.get(`${bot}:${k}`);
      if (l && l.until > this.now()) out.set(k, l.to);
    }
    return out;
  }
}

/**
 * The hub the engine hands connectors before Redis is connected (sources load first, so a bad
 * sources file stops start-up before anything starts); the Redis hub is attached once it is.
 */
export class DeferredBotUpdateHub implements BotUpdateHub {
  private target: BotUpdateHub | undefined;

  attach(hub: BotUpdateHub): void {
    this.target = hub;
  }

  private get hub(): BotUpdateHub {
    if (!this.target) throw new OtklikError('INTERNAL', 'the Telegram update hub is used before the engine connected to Redis');
    return this.target;
  }

  subscribe(bot: string, sourceId: string): Promise<void> {
    return this.hub.subscribe(bot, sourceId);
  }
  readExclusive(bot: string, holdMs: number, read: (offset: number | undefined) => Promise<{ updates: readonly unknown[]; nextOffset: number }>): Promise<boolean> {
    return this.hub.readExclusive(bot, holdMs, read);
  }
  inbox(bot: string, sourceId: string, after: string, limit: number): Promise<{ position: string; update: unknown }[]> {
    return this.hub.inbox(bot, sourceId, after, limit);
  }
  trim(bot: string, sourceId: string, upTo: string): Promise<void> {
    return this.hub.trim(bot, sourceId, upTo);
  }
  link(bot: string, a: string, b: string, ttlSeconds: number): Promise<void> {
    return this.hub.link(bot, a, b, ttlSeconds);
  }
  linked(bot: string, keys: readonly string[]): Promise<Map<string, string>> {
    return this.hub.linked(bot, keys);
  }
}

/** Inbox positions are Redis stream ids ("<ms>-<seq>"); '' is before everything. */
export function comparePositions(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return -1;
  if (b === '') return 1;
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am !== bm ? am - bm : as - bs;
}
