import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { RedisKeys } from './keys.js';
import { linearModelSchema, type LinearModel } from '../../core/classify/linear-model.js';
import { RETRAINED_KINDS, retrainingSchema, type ModelInForce, type ModelRegistry, type RetrainedKind, type Retraining } from '../../ports/model-registry.js';

const storedSchema = z.object({ meta: retrainingSchema, model: linearModelSchema }).strict();

const KEEP_VERSIONS = 6;
const KEEP_LOG = 50;

/**
 * Every model version the engine trained, the one in force per kind, and the log of retrainings.
 * Promotion is one MULTI: the version in force and the generation move together, so a worker that
 * sees the new generation finds the new model.
 */
export class RedisModelRegistry implements ModelRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** Bumped on every promotion; 0 while the shipped models are in force. */
  async generation(): Promise<number> {
    return Number((await this.redis.get(this.keys.modelsGeneration())) ?? 0);
  }

  /** The retrained models in force (kinds never promoted are absent: the shipped file rules). */
  async inForce(): Promise<Partial<Record<RetrainedKind, ModelInForce>>> {
    const current = await this.redis.hgetall(this.keys.modelsInForce());
    const out: Partial<Record<RetrainedKind, ModelInForce>> = {};
    for (const kind of RETRAINED_KINDS) {
      const version = current[kind];
      if (!version) continue;
      const raw = await this.redis.hget(this.keys.modelVersions(), version);
      if (!raw) continue;
      const stored = storedSchema.parse(JSON.parse(raw));
      out[kind] = { version, meta: stored.meta, model: stored.model };
    }
    return out;
  }

  /** Records a retraining; a promoted model goes into force at once, with a new generation. */
  async record(meta: Retraining, model: LinearModel): Promise<void> {
    const tx = this.redis.multi();
    tx.lpush(this.keys.modelRetrainings(), JSON.stringify(meta));
    tx.ltrim(this.keys.modelRetrainings(), 0, KEEP_LOG - 1);
    if (meta.promoted) {
      tx.hset(this.keys.modelVersions(), meta.version, JSON.stringify({ meta, model }));
      tx.hset(this.keys.modelsInForce(), meta.kind, meta.version);
      tx.incr(this.keys.modelsGeneration());
    }
    await tx.exec();
    if (meta.promoted) await this.prune(meta.kind);
  }

  /** The latest retrainings, newest first. */
  async history(limit = 10): Promise<Retraining[]> {
    return (await this.redis.lrange(this.keys.modelRetrainings(), 0, limit - 1)).map((r) => retrainingSchema.parse(JSON.parse(r)));
  }

  /** The next version id of a kind: `topics-3`. */
  async nextVersion(kind: RetrainedKind): Promise<string> {
    return `${kind}-${await this.redis.incr(`${this.keys.modelVersions()}:seq:${kind}`)}`;
  }

  /** Keeps the latest promoted versions of a kind (the one in force among them). */
  private async prune(kind: RetrainedKind): Promise<void> {
    const versions = (await this.redis.hkeys(this.keys.modelVersions())).filter((v) => v.startsWith(`${kind}-`)).sort((a, b) => Number(b.split('-')[1]) - Number(a.split('-')[1]));
    const drop = versions.slice(KEEP_VERSIONS);
    if (drop.length > 0) await this.redis.hdel(this.keys.modelVersions(), ...drop);
  }
}
