/**
 * Every key the engine writes starts with the queue prefix, which carries a hash tag
 * (`{otklik}` by default) so multi-key scripts and BullMQ both work on Redis Cluster.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}
  cursor(sourceId: string): string {
    return `${this.prefix}:cursor:${sourceId}`;
  }
  sourceHealth(sourceId: string): string {
    return `${this.prefix}:source:${sourceId}`;
  }
  /** One Telegram bot (by a hash of its token): who reads it now, its offset, its sources, their inboxes. */
  botLock(bot: string): string {
    return `${this.prefix}:tgbot:${bot}:lock`;
  }
  botOffset(bot: string): string {
    return `${this.prefix}:tgbot:${bot}:offset`;
  }
  botSubscribers(bot: string): string {
    return `${this.prefix}:tgbot:${bot}:sources`;
  }
  botInbox(bot: string, sourceId: string): string {
    return `${this.prefix}:tgbot:${bot}:inbox:${sourceId}`;
  }
  botLink(bot: string, message: string): string {
    return `${this.prefix}:tgbot:${bot}:link:${message}`;
  }
  ledger(name: string, day: string): string {
    return `${this.prefix}:ledger:${name}:${day}`;
  }
  stats(): string {
    return `${this.prefix}:stats`;
  }
  /** Held by the one scheduler process that leads. */
  schedulerLeader(): string {
    return `${this.prefix}:leader:scheduler`;
  }
  /** Failed sign-ins of an account from an address, of an account, or from an address. */
  loginFailures(kind: 'pair' | 'account' | 'address', who: string): string {
    return `${this.prefix}:login:fail:${kind}:${who}`;
  }
  /** Labelled counters for /metrics. */
  metrics(): string {
    return `${this.prefix}:metrics`;
  }
  latency(name: string): string {
    return `${this.prefix}:latency:${name}`;
  }
  incident(id: string): string {
    return `${this.prefix}:incident:${id}`;
  }
  incidentsByCreated(): string {
    return `${this.prefix}:incidents:by-created`;
  }
  incidentsByStatus(status: string): string {
    return `${this.prefix}:incidents:status:${status}`;
  }
  incidentEvents(id: string): string {
    return `${this.prefix}:incident:${id}:events`;
  }
  /** Every audit event of every incident, in order: the feed the search index mirrors. */
  eventStream(): string {
    return `${this.prefix}:incident-events`;
  }
  /** What the engine made of a recent post (topic, problem), for the comments that answer it. */
  postContext(postId: string): string {
    return `${this.prefix}:post-context:${postId}`;
  }
  /** Moderators' topic decisions with the post's text: the topic model's training data. */
  labels(): string {
    return `${this.prefix}:labels`;
  }
  /** Incidents whose opening post falls in one MinHash band bucket. */
  duplicateBand(band: string): string {
    return `${this.prefix}:dup:band:${band}`;
  }
  /** Where a post's alert went (its own incident or the one it copies): decided once, kept for retries. */
  duplicateDecision(postId: string): string {
    return `${this.prefix}:dup:post:${postId}`;
  }
  duplicateSignature(incidentId: string): string {
    return `${this.prefix}:dup:sig:${incidentId}`;
  }
  timerSet(incidentId: string): string {
    return `${this.prefix}:incident:${incidentId}:timers`;
  }
  /** Users by login (JSON, with the password hash). */
  users(): string {
    return `${this.prefix}:users`;
  }
  /** A session, by the SHA-256 of its token: the token itself is never stored. */
  session(tokenHash: string): string {
    return `${this.prefix}:session:${tokenHash}`;
  }
  /** The sessions of one user, so disabling the user ends them all. */
  userSessions(userId: string): string {
    return `${this.prefix}:user-sessions:${userId}`;
  }
  /** The route table set through the API (JSON), over the rules file's. */
  routeTable(): string {
    return `${this.prefix}:routing:table`;
  }
  /** Bumped on every change of the route table, so workers notice with one cheap read. */
  routeTableVersion(): string {
    return `${this.prefix}:routing:version`;
  }
  /** Reject reasons and answer templates set through the API (JSON), over the rules file's. */
  presets(): string {
    return `${this.prefix}:presets`;
  }
  /** Bodies' notification targets set through the API (JSON by body id), over the rules file's. */
  notifyTargets(): string {
    return `${this.prefix}:notify-targets`;
  }
  /** API keys by the SHA-256 of the key. */
  apiKeys(): string {
    return `${this.prefix}:api-keys`;
  }
  /** Model versions the engine trained (JSON by version id), each with its measured quality. */
  modelVersions(): string {
    return `${this.prefix}:models:versions`;
  }
  /** The model version in force per kind (topics, problem). */
  modelsInForce(): string {
    return `${this.prefix}:models:current`;
  }
  /** Bumped on every promotion, so workers notice a new model with one cheap read. */
  modelsGeneration(): string {
    return `${this.prefix}:models:generation`;
  }
  /** The latest retrainings, newest first (JSON), promoted or refused. */
  modelRetrainings(): string {
    return `${this.prefix}:models:retrainings`;
  }
}
