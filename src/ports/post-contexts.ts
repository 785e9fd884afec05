import type { ParentContext } from '../core/classify/classifier.js';

/** What recent topical posts were about, for the comments that answer them in later batches. */
export interface PostContexts {
  remember(entries: readonly ({ id: string } & ParentContext)[]): Promise<void>;
  recall(ids: readonly string[]): Promise<Map<string, ParentContext>>;
}
