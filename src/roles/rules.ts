import type { Config } from '../config/config.js';
import { KeywordClassifier } from '../core/classify/classifier.js';
import { topicRulesSchema } from '../core/classify/rules.js';
import { naiveBayesModelSchema } from '../core/classify/naive-bayes.js';
import { Router, routingRulesSchema } from '../core/routing/router.js';
import { BodyDirectory } from '../core/bodies/bodies.js';
import type { TransitionEnv } from '../core/incident/lifecycle.js';
import { loadJsonRules } from '../adapters/files/json-rules.js';
import { loadCalendarsFor } from '../adapters/files/calendars.js';
import { resolveProjectPath } from '../paths.js';

/** Everything the engine knows from `rules/`, loaded and validated once at start-up. */
export interface LoadedRules {
  classifier: KeywordClassifier;
  router: Router;
  bodies: BodyDirectory;
  /** What the incident state machine needs: bodies, topics, calendars, reroute policy. */
  transitionEnv: TransitionEnv;
}

/** The classifier as the engine runs it: the topic rules and the trained models named in config. */
export function loadClassifier(config: Pick<Config, 'TOPICS_FILE' | 'SENTIMENT_MODEL_FILE'>): KeywordClassifier {
  const topicRules = loadJsonRules(resolveProjectPath(config.TOPICS_FILE), topicRulesSchema, config.TOPICS_FILE);
  const sentiment = config.SENTIMENT_MODEL_FILE ? loadJsonRules(resolveProjectPath(config.SENTIMENT_MODEL_FILE), naiveBayesModelSchema, config.SENTIMENT_MODEL_FILE) : undefined;
  return new KeywordClassifier(topicRules, sentiment ? { sentiment } : {});
}

export function loadRules(config: Config): LoadedRules {
  const topicRules = loadJsonRules(resolveProjectPath(config.TOPICS_FILE), topicRulesSchema, config.TOPICS_FILE);
  const routing = loadJsonRules(resolveProjectPath(config.ROUTING_FILE), routingRulesSchema, config.ROUTING_FILE);
  const bodies = new BodyDirectory(routing.bodies, routing.slaPolicies);
  const calendars = loadCalendarsFor(resolveProjectPath(config.CALENDARS_DIR), bodies.all().map((b) => bodies.calendarKey(b.id)));
  const topics = new Set([...topicRules.topics.map((t) => t.id), 'other']);
  return {
    classifier: loadClassifier(config),
    router: new Router(routing),
    bodies,
    transitionEnv: {
      bodies,
      topics,
      rerouteRestartsBodyClock: routing.rerouteRestartsBodyClock,
      setupFor: (id) => bodies.clockSetup(id, calendars),
    },
  };
}
