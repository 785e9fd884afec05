/** One item to claim: its unique key, and the day it belongs to (the ledger forgets old days). */
export interface ClaimItem {
  /** Unique key of the item (e.g. `vk:-1_5#rev`). */
  key: string;
  /** Bucket (a UTC day `YYYY-MM-DD`) so the ledger expires instead of growing forever. */
  day: string;
}

/**
 * Exactly-once bookkeeping: the first owner to claim an item gets it; a retry by the same owner
 * (a redelivered job) gets it again; anyone else does not.
 */
export interface ClaimLedger {
  claim(owner: string, items: readonly ClaimItem[]): Promise<boolean[]>;
  /** Items claimed on a day. */
  count(day: string): Promise<number>;
}
