/** What publishing an official answer needs: where, what, and whose credentials. */
export interface ReplyRequest {
  incidentId: string;
  /** The stable id of the post to answer under (vk:…, ok:…, tg:…). */
  postId: string;
  permalink?: string;
  text: string;
  /** Name of the body's reply credentials (resolved by the publisher from config, never stored here). */
  credentialsRef: string;
  /** The same key for a retried publication, so a platform that supports it (VK guid) posts once. */
  idempotencyKey: string;
}

export interface PublishedReply {
  url?: string;
  /** The platform's own timestamp of the published answer. */
  publishedAt: string;
}

/**
 * The port through which answers are published under the original post. Connectors that can reply
 * (connectors/<platform>) provide it; the engine records a URL when none can.
 */
export interface AnswerPublisher {
  canReply(platform: string): boolean;
  reply(request: ReplyRequest): Promise<PublishedReply>;
}
