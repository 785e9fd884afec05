/**
 * Failed sign-ins, counted per account from one address, per account and per address, so that one
 * person's typos or an attack on one account does not lock out everyone behind a control center's
 * shared address (or a reverse proxy). Only failures count.
 */
export interface LoginThrottle {
  /** Seconds until this login may be tried from this address again; 0 when it may be now. */
  blockedFor(login: string, address: string): Promise<number>;
  failed(login: string, address: string): Promise<void>;
  /** A sign-in worked: this account's failures from this address are forgotten. */
  succeeded(login: string, address: string): Promise<void>;
}
