export interface DuplicateCandidate {
  incidentId: string;
  similarity: number;
}

/**
 * The opening posts' near-duplicate signatures of recent incidents: finding which open incident a
 * new alert copies, and remembering each post's decision so a retry decides the same.
 */
export interface DuplicateIndex {
  /** Candidates per signature, best first, at least this similar. */
  findMany(signatures: readonly string[], minSimilarity: number): Promise<DuplicateCandidate[][]>;
  /** Keeps each post's first decision (where it went); returns the decisions in force. */
  decideMany(choices: readonly { postId: string; incidentId: string }[]): Promise<string[]>;
  /** Overrides a post's decision (its incident could no longer take it). */
  redecide(postId: string, incidentId: string): Promise<void>;
  addMany(entries: readonly { incidentId: string; signature: string }[]): Promise<void>;
}
