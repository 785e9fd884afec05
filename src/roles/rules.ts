import { existsSync } from 'node:fs';
import type { Config } from '../config/config.js';
import { Classifier, type ClassifierModels, type ClassifierRules } from '../core/classify/classifier.js';
import { taxonomySchema } from '../core/classify/taxonomy.js';
import { cuesSchema } from '../core/classify/cues.js';
import { alertPolicySchema } from '../core/classify/alert-policy.js';
import { TerritoryLocator, gazetteerSchema, type Gazetteer } from '../core/classify/gazetteer.js';
import { linearModelSchema, type LinearModel } from '../core/classify/linear-model.js';
import { Router, routeTableProblems, routingRulesSchema } from '../core/routing/router.js';
import { BodyDirectory } from '../core/bodies/bodies.js';
import type { TransitionEnv } from '../core/incident/lifecycle.js';
import { loadJsonRules } from '../adapters/files/json-rules.js';
import { loadWordList } from '../adapters/files/word-list.js';
import { loadCalendarsFor } from '../adapters/files/calendars.js';
import { resolveProjectPath } from '../paths.js';
import { OtklikError } from '../core/errors.js';
import { forKnownBodies, presetsFileSchema, type Presets } from '../core/moderation/presets.js';

/** Everything the engine knows from `rules/`, loaded and validated once at start-up. */
export interface LoadedRules {
  classifier: Classifier;
  /** The gazetteer: which territory lies inside which (routing, access scopes and reports ask it). */
  territories: TerritoryLocator;
  router: Router;
  bodies: BodyDirectory;
  /** What the incident state machine needs: bodies, topics, calendars, reroute policy. */
  transitionEnv: TransitionEnv;
  /** Reject reasons and answer templates the console offers. */
  presets: Presets;
  /** Templates of the presets file left out because they name bodies the routing file does not have (logged at start). */
  presetsDropped: string[];
}

export type ClassifierFiles = Pick<Config, 'TOPICS_FILE' | 'CUES_FILE' | 'ALERTS_FILE' | 'GAZETTEER_FILE' | 'KNOWN_STEMS_FILE' | 'SENTIMENT_MODEL_FILE' | 'TOPIC_MODEL_FILE' | 'PROBLEM_MODEL_FILE'>;

function linear(file: string): LinearModel | undefined {
  return file ? loadJsonRules(resolveProjectPath(file), linearModelSchema, file) : undefined;
}

/** The shipped router model, when the region's set-up has one (it is optional: the engine learns one too). */
function routerModel(file: string): LinearModel | undefined {
  return file && existsSync(resolveProjectPath(file)) ? loadJsonRules(resolveProjectPath(file), linearModelSchema, file) : undefined;
}

// Read once per process: every classifier (the engine's, the retraining thread's candidates, the
// CLI's) shares the same ~130,000 stems.
const knownStemsByFile = new Map<string, ReadonlySet<string>>();

function knownStems(file: string): ReadonlySet<string> {
  let stems = knownStemsByFile.get(file);
  if (!stems) knownStemsByFile.set(file, (stems = loadWordList(resolveProjectPath(file), file)));
  return stems;
}

function gazetteer(file: string): Gazetteer | undefined {
  return file ? loadJsonRules(resolveProjectPath(file), gazetteerSchema, file) : undefined;
}

/** The rule files the classifier runs on, validated. */
export function loadRuleFiles(config: Pick<ClassifierFiles, 'TOPICS_FILE' | 'CUES_FILE' | 'ALERTS_FILE' | 'GAZETTEER_FILE' | 'KNOWN_STEMS_FILE'>): ClassifierRules {
  const load = <S extends Parameters<typeof loadJsonRules>[1]>(file: string, schema: S) => loadJsonRules(resolveProjectPath(file), schema, file);
  const gaz = gazetteer(config.GAZETTEER_FILE);
  const known = config.KNOWN_STEMS_FILE ? knownStems(config.KNOWN_STEMS_FILE) : undefined;
  return { taxonomy: load(config.TOPICS_FILE, taxonomySchema), cues: load(config.CUES_FILE, cuesSchema), alerts: load(config.ALERTS_FILE, alertPolicySchema), ...(gaz ? { gazetteer: gaz } : {}), ...(known ? { knownStems: known } : {}) };
}

/** The classifier as the engine runs it: the rule files and the trained models named in config. */
export function loadClassifier(config: ClassifierFiles): Classifier {
  const sentiment = linear(config.SENTIMENT_MODEL_FILE);
  const topics = linear(config.TOPIC_MODEL_FILE);
  const problem = linear(config.PROBLEM_MODEL_FILE);
  const classifier = new Classifier(loadRuleFiles(config), { ...(sentiment ? { sentiment } : {}), ...(topics ? { topics } : {}), ...(problem ? { problem } : {}) });
  const unknown = topics?.labels.filter((l) => !classifier.topicIds().includes(l)) ?? [];
  if (unknown.length > 0) throw new OtklikError('RULES_INVALID', `${config.TOPIC_MODEL_FILE}: labels: not in ${config.TOPICS_FILE}: ${unknown.join(', ')} (retrain with npm run train)`, { details: { file: config.TOPIC_MODEL_FILE } });
  return classifier;
}

/** The models a set-up ships, the router's among them: in force for every kind the engine has not retrained. */
export function shippedModels(rules: Pick<LoadedRules, 'classifier' | 'router'>): ClassifierModels & { router?: LinearModel } {
  return { ...rules.classifier.models, ...(rules.router.learnedModel ? { router: rules.router.learnedModel } : {}) };
}

export function loadRules(config: Config): LoadedRules {
  const routing = loadJsonRules(resolveProjectPath(config.ROUTING_FILE), routingRulesSchema, config.ROUTING_FILE);
  const bodies = new BodyDirectory(routing.bodies, routing.slaPolicies);
  const calendars = loadCalendarsFor(resolveProjectPath(config.CALENDARS_DIR), bodies.all().map((b) => bodies.calendarKey(b.id)));
  const classifier = loadClassifier(config);
  const territories = new TerritoryLocator(classifier.rules.gazetteer ?? { version: 1, territories: [] });
  const topicIds = new Set(classifier.topicIds());
  const problems = routeTableProblems(routing, { bodies: (id) => bodies.has(id), topics: (id) => topicIds.has(id) });
  if (problems.length > 0) throw new OtklikError('RULES_INVALID', `${config.ROUTING_FILE}: ${problems.join('; ')} (topics are in ${config.TOPICS_FILE})`, { details: { file: config.ROUTING_FILE, problems } });
  const { version: _presetsVersion, ...fromFile } = loadJsonRules(resolveProjectPath(config.PRESETS_FILE), presetsFileSchema, config.PRESETS_FILE);
  const { presets, dropped: presetsDropped } = forKnownBodies(fromFile, (id) => bodies.has(id));
  return {
    classifier,
    territories,
    presets,
    presetsDropped,
    router: new Router(routing, territories, routerModel(config.ROUTER_MODEL_FILE)),
    bodies,
    transitionEnv: {
      bodies,
      topics: new Set(classifier.topicIds()),
      rerouteRestartsBodyClock: routing.rerouteRestartsBodyClock,
      answerReview: routing.answerReview,
      setupFor: (id) => bodies.clockSetup(id, calendars),
    },
  };
}
