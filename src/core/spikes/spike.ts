/**
 * A surge of posts about a topic in a territory, as the spike watch finds it and the search index
 * keeps it (searchable past the leader's week, and in Kibana): the series and hour, the count
 * against its usual range, how improbable it was, the words that rose and the top posts.
 */
export interface SpikeRecord {
  /** `<kind>|<topic>|<territory>|<hour>`: one spike per series and hour. */
  key: string;
  /** A surge of posts, or of alerts (posts the engine judged actionable) — watched apart. */
  kind: 'posts' | 'alerts';
  topic: string;
  territory: string;
  /** The hour judged (start, UTC). */
  hour: string;
  count: number;
  /** The mean of a normal such hour. */
  expected: number;
  /** The range a normal hour falls in. */
  range: [number, number];
  pValue: number;
  /** Words more frequent in the surge than in the fortnight before. */
  rising: string[];
  /** The posts of that hour (ids and text), most recent first. */
  top: { id: string; text: string }[];
  detectedAt: string;
}

/** Which kept spikes to read: hours in [from, to), of a kind, newest first. */
export interface SpikeQuery {
  from?: string;
  to?: string;
  kind?: 'posts' | 'alerts';
  size: number;
}

/** At most this many spikes are read at once (a fortnight of a region's busiest series is far fewer). */
export const MAX_SPIKES_READ = 1000;
