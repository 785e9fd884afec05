import type { IndexOutcome, SearchBackendStatus, SearchIndex } from '../../ports/search-index.js';
import { OtklikError } from '../../core/errors.js';

/**
 * Stands where a search backend would be when none is configured. It stores nothing and says so:
 * posts complete the pipeline and are counted, but nothing is searchable.
 */
export class UnconfiguredSearchIndex implements SearchIndex {
  readonly backend = 'none';

  constructor(private readonly reason: string) {}

  async indexPosts(): Promise<IndexOutcome> {
    return { rejected: [] };
  }

  async indexIncidents(): Promise<void> {}

  async purgePersonalData(): Promise<number> {
    return 0;
  }

  private unavailable(): never {
    throw new OtklikError('SEARCH_UNAVAILABLE', this.reason);
  }

  async search(): Promise<never> {
    return this.unavailable();
  }

  async trends(): Promise<never> {
    return this.unavailable();
  }

  async terms(): Promise<never> {
    return this.unavailable();
  }

  async sla(): Promise<never> {
    return this.unavailable();
  }

  async indexSpikes(): Promise<void> {}

  async spikes(): Promise<never> {
    return this.unavailable();
  }

  async status(): Promise<SearchBackendStatus> {
    return { backend: this.backend, configured: false, ok: true, message: this.reason };
  }

  async close(): Promise<void> {}
}
