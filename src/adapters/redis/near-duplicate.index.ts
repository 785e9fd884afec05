import type { Redis } from 'ioredis';
import type { RedisKeys } from './keys.js';
import type { DuplicateCandidate, DuplicateIndex } from '../../ports/duplicate-index.js';
import { bandKeys, signatureSimilarity } from '../../core/classify/near-duplicates.js';

/**
 * Locality-sensitive index of the incidents' opening posts: one Redis set per MinHash band bucket,
 * plus each incident's signature. Finding near-copies is a handful of exact lookups, whatever the
 * number of incidents; entries expire after the window in which a copy still counts as the same
 * complaint.
 */
export class NearDuplicateIndex implements DuplicateIndex {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly ttlSeconds: number,
  ) {}

  /** Per signature, the incidents at least `minSimilarity` alike, most alike first: two round trips for all. */
  async findMany(signatures: readonly string[], minSimilarity: number): Promise<DuplicateCandidate[][]> {
    if (signatures.length === 0) return [];
    const bands = signatures.map(bandKeys);
    const pipe = this.redis.pipeline();
    for (const keys of bands) for (const b of keys) pipe.smembers(this.keys.duplicateBand(b));
    const results = (await pipe.exec()) ?? [];
    const perSig: Set<string>[] = [];
    let r = 0;
    for (const keys of bands) {
      const ids = new Set<string>();
      for (let k = 0; k < keys.length; k++, r++) {
        const [err, members] = results[r] ?? [null, []];
        if (err) throw err;
        for (const id of members as string[]) ids.add(id);
      }
      perSig.push(ids);
    }
    const all = [...new Set(perSig.flatMap((s) => [...s]))];
    const stored = all.length > 0 ? await this.redis.mget(all.map((id) => this.keys.duplicateSignature(id))) : [];
    const sigOf = new Map(all.map((id, i) => [id, stored[i] ?? null]));
    return signatures.map((sig, i) =>
      [...(perSig[i] as Set<string>)]
        .map((incidentId) => {
          const other = sigOf.get(incidentId);
          return { incidentId, similarity: other ? signatureSimilarity(sig, other) : 0 };
        })
        .filter((c) => c.similarity >= minSimilarity)
        .sort((a, b) => b.similarity - a.similarity || a.incidentId.localeCompare(b.incidentId)),
    );
  }

  /**
   * Records where each post's alert goes, unless a previous attempt already decided: a retried job
   * must put a post where the first attempt did, or it would end up in two incidents.
   */
  async decideMany(choices: readonly { postId: string; incidentId: string }[]): Promise<string[]> {
    if (choices.length === 0) return [];
    const pipe = this.redis.pipeline();
    for (const c of choices) {
      pipe.set(this.keys.duplicateDecision(c.postId), c.incidentId, 'EX', this.ttlSeconds, 'NX');
      pipe.get(this.keys.duplicateDecision(c.postId));
    }
    const res = (await pipe.exec()) ?? [];
    return choices.map((c, i) => {
      const [err, value] = res[i * 2 + 1] ?? [null, null];
      if (err) throw err;
      return (value as string | null) ?? c.incidentId;
    });
  }

  /** Overrides a decision (the incident the post was to join could no longer take it). */
  async redecide(postId: string, incidentId: string): Promise<void> {
    await this.redis.set(this.keys.duplicateDecision(postId), incidentId, 'EX', this.ttlSeconds);
  }

  async addMany(entries: readonly { incidentId: string; signature: string }[]): Promise<void> {
    if (entries.length === 0) return;
    const pipe = this.redis.pipeline();
    for (const { incidentId, signature } of entries) {
      pipe.set(this.keys.duplicateSignature(incidentId), signature, 'EX', this.ttlSeconds);
      for (const b of bandKeys(signature)) {
        pipe.sadd(this.keys.duplicateBand(b), incidentId);
        pipe.expire(this.keys.duplicateBand(b), this.ttlSeconds);
      }
    }
    for (const [err] of (await pipe.exec()) ?? []) if (err) throw err;
  }
}
