import type { Connector, ReplyReceipt } from '../connector/connector.js';
import { OtklikError } from '../core/errors.js';
import type { Markers } from '../ports/markers.js';
import type { AnswerPublisher, PublishedReply, ReplyRequest } from '../ports/answer-publisher.js';

const RECEIPT_TTL_S = 7 * 86_400;

/**
 * Publishes answers through the connectors that can reply. A receipt is kept per idempotency key,
 * so a retried action (the commit failed after the answer went out) does not answer twice on
 * platforms without an idempotency key of their own.
 */
export class ConnectorAnswerPublisher implements AnswerPublisher {
  private readonly byPlatform = new Map<string, Connector>();

  constructor(
    connectors: Iterable<Connector>,
    /** Receipts of published answers, by idempotency key (kept a week). */
    private readonly receipts: Markers,
  ) {
    for (const c of connectors) if (c.platform && c.reply && !this.byPlatform.has(c.platform)) this.byPlatform.set(c.platform, c);
  }

  canReply(platform: string): boolean {
    return this.byPlatform.has(platform);
  }

  async reply(r: ReplyRequest): Promise<PublishedReply> {
    const key = `reply:${r.idempotencyKey}`;
    const kept = await this.receipts.get(key);
    if (kept) return toPublished(JSON.parse(kept) as ReplyReceipt);
    const connector = this.byPlatform.get(r.postId.split(':')[0] ?? '');
    if (!connector?.reply) throw new OtklikError('REPLY_NOT_POSSIBLE', `no connector can answer ${r.postId}`, { details: { postId: r.postId, reason: 'no-connector' } });
    const receipt = await connector.reply({ postId: r.postId, ...(r.permalink ? { permalink: r.permalink } : {}), idempotencyKey: r.idempotencyKey, credentialsRef: r.credentialsRef }, r.text);
    await this.receipts.set(key, JSON.stringify(receipt), RECEIPT_TTL_S);
    return toPublished(receipt);
  }
}

function toPublished(r: ReplyReceipt): PublishedReply {
  return { publishedAt: r.publishedAt, ...(r.url ? { url: r.url } : {}) };
}
