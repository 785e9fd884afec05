import type { Redis } from 'ioredis';
import type { RedisKeys } from './keys.js';
import { bandKeys, signatureSimilarity } from '../../core/classify/near-duplicates.js';

export interface DuplicateCandidate {
  incidentId: string;
  similarity: number;
}

/**
 * Locality-sensitive index of the incidents' opening posts: one Redis set per MinHash band bucket,
 * plus each incident's signature. Finding near-copies is a handful of exact lookups, whatever the
 * number of incidents; entries expire after the window in which a copy still counts as the same
 * complaint.
 */
export class NearDuplicateIndex {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly ttlSeconds: number,
  ) {}

  /** Incidents whose signature is at least `minSimilarity` alike, most alike first. */
  async find(signature: string, minSimilarity: number): Promise<DuplicateCandidate[]> {
    const bands = bandKeys(signature);
    const pipe = this.redis.pipeline();
    for (const b of bands) pipe.smembers(this.keys.duplicateBand(b));
    const ids = new Set<string>();
    for (const [err, members] of (await pipe.exec()) ?? []) {
      if (err) throw err;
      for (const id of members as string[]) ids.add(id);
    }
    if (ids.size === 0) return [];
    const list = [...ids];
    const sigs = await this.redis.mget(list.map((id) => this.keys.duplicateSignature(id)));
    return list
      .map((incidentId, i) => ({ incidentId, similarity: sigs[i] ? signatureSimilarity(signature, sigs[i]) : 0 }))
      .filter((c) => c.similarity >= minSimilarity)
      .sort((a, b) => b.similarity - a.similarity || a.incidentId.localeCompare(b.incidentId));
  }

  /**
   * Records where a post's alert goes, unless a previous attempt already decided: a retried job
   * must put the post where the first attempt did, or it would end up in two incidents.
   */
  async decide(postId: string, incidentId: string): Promise<string> {
    const key = this.keys.duplicateDecision(postId);
    if ((await this.redis.set(key, incidentId, 'EX', this.ttlSeconds, 'NX')) === 'OK') return incidentId;
    return (await this.redis.get(key)) ?? incidentId;
  }

  /** Overrides a decision (the incident the post was to join could no longer take it). */
  async redecide(postId: string, incidentId: string): Promise<void> {
    await this.redis.set(this.keys.duplicateDecision(postId), incidentId, 'EX', this.ttlSeconds);
  }

  async add(incidentId: string, signature: string): Promise<void> {
    const pipe = this.redis.pipeline();
    pipe.set(this.keys.duplicateSignature(incidentId), signature, 'EX', this.ttlSeconds);
    for (const b of bandKeys(signature)) {
      pipe.sadd(this.keys.duplicateBand(b), incidentId);
      pipe.expire(this.keys.duplicateBand(b), this.ttlSeconds);
    }
    for (const [err] of (await pipe.exec()) ?? []) if (err) throw err;
  }
}
