import type { LabelledPost } from '../core/classify/labelled-post.js';

/** One moderator's decision on an incident: its topic confirmed or corrected, or the post rejected as noise. */
export interface TopicDecision {
  incidentId: string;
  text: string;
  /** The topic confirmed or corrected; on a rejection, the topic the engine had proposed. */
  topic: string;
  subtopic?: string;
  /** accept (the proposed topic confirmed, or changed on accepting), reclassify, reroute (the body corrected), or reject (as noise). */
  action: string;
  /** Does the post report a problem? Accepting and reclassifying say yes, rejecting as noise no. */
  problem?: boolean;
  /** The body that answers for it, as accepted or rerouted to: a routing label (absent on a rejection). */
  body?: string;
  /** The incident's place, which routing depends on. */
  territory?: string;
  by: string;
  at: string;
}

/** Moderators' decisions: the labelled data the engine retrains its models from. */
export interface Labels {
  record(d: TopicDecision): Promise<void>;
  count(): Promise<number>;
  /** The latest decision per incident, oldest first. */
  latest(): Promise<TopicDecision[]>;
  /** The same as labelled posts (npm run labels:export, train --labels). */
  export(): Promise<LabelledPost[]>;
}
