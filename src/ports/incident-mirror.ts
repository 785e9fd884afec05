import type { MirroredIncident } from './search-index.js';

/**
 * The one door through which incidents reach the search index: after every committed change the
 * incident service hands the incident and its events here. The engine implements it with the index
 * queue's producer (the index stage writes them); nothing else writes incidents to the index.
 */
export interface IncidentMirror {
  mirror(items: readonly MirroredIncident[]): Promise<void>;
}
