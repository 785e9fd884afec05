import { featureName, topicFeatureWalk, type FeatureWalk } from '../classify/features.js';
import { predictLinear, trainLinearModel, type LinearModel } from '../classify/linear-model.js';
import { groupOf } from '../classify/taxonomy.js';

/** Where a territory lies: the one above it (the router's TerritoryTree has it; the gazetteer answers). */
export interface TerritoryParents {
  parentOf(id: string): string | undefined;
}

/**
 * One routing label: a moderator accepted an incident with this body, or rerouted it to this body.
 * The post's words, its topic and its place are what a router can know when the next one comes.
 */
export interface RoutingLabel {
  text: string;
  /** The incident's topic (`roads` or `roads.potholes`). */
  topic: string;
  territory?: string;
  /** The body that answers for it. */
  body: string;
}

/** A body needs this many labels before the model learns it: one reroute is an anecdote. */
export const ROUTE_MIN_LABELS = 3;
/** L2 penalty: as the topic model's, the features are many and the labels few. */
const ROUTE_L2 = 3e-5;
/** What the learned router must be sure of to speak where the rules are silent. */
export const ROUTE_PROPOSE_MIN = 0.5;

/**
 * What the router model reads: the words as the topic model reads them, the topic and its group,
 * and the place with every territory above it (a town's appeals teach its district's body too).
 */
export function routeFeatureWalk(text: string, topic: string, territory: string | undefined, tree?: TerritoryParents): FeatureWalk {
  const words = topicFeatureWalk(text);
  return (emit) => {
    words(emit);
    const group = groupOf(topic);
    emit('f', `topic=${group}`);
    if (group !== topic) emit('f', `sub=${topic}`);
    const seen = new Set<string>();
    for (let t = territory; t !== undefined && !seen.has(t) && seen.size < 8; t = tree?.parentOf(t)) {
      seen.add(t);
      emit('f', `terr=${t}`);
    }
    if (territory === undefined) emit('f', 'terr=none');
  };
}

function namesOf(walk: FeatureWalk): string[] {
  const out: string[] = [];
  walk((kind, a, b) => out.push(featureName(kind, a, b)));
  return out;
}

/**
 * Trains the router model (softmax regression, labels = bodies with at least ROUTE_MIN_LABELS
 * labels); undefined when fewer than two bodies have that many: there is nothing to choose between.
 */
export function trainRouteModel(labels: readonly RoutingLabel[], o: { tree?: TerritoryParents; calibrationFolds?: number } = {}): LinearModel | undefined {
  const perBody = new Map<string, number>();
  for (const l of labels) perBody.set(l.body, (perBody.get(l.body) ?? 0) + 1);
  const bodies = [...perBody.entries()].filter(([, n]) => n >= ROUTE_MIN_LABELS).map(([b]) => b).sort();
  if (bodies.length < 2) return undefined;
  const known = new Set(bodies);
  return trainLinearModel(
    labels.filter((l) => known.has(l.body)).map((l) => ({ features: namesOf(routeFeatureWalk(l.text, l.topic, l.territory, o.tree)), label: l.body })),
    bodies,
    {
      l2: ROUTE_L2,
      featureSet: 'route',
      calibrationFolds: o.calibrationFolds ?? 5,
      trainedOn: `${labels.length} routing decisions of moderators over ${bodies.length} bodies; softmax regression over content-word stems, five-letter prefixes, the topic and the territories it lies in`,
    },
  );
}

export interface BodyProposal {
  bodyId: string;
  /** The model's calibrated probability for it. */
  p: number;
}

/** Has the model learnt anything about this topic's group? A model asked about a topic it never saw answers from its biases alone. */
export function knowsTopic(model: LinearModel, topic: string): boolean {
  return model.weights[featureName('f', `topic=${groupOf(topic)}`)] !== undefined;
}

/** The learned router's view of a post: every body it knows, most likely first. */
export function rankBodies(model: LinearModel, text: string, topic: string, territory: string | undefined, tree?: TerritoryParents): BodyProposal[] {
  return predictLinear(model, routeFeatureWalk(text, topic, territory, tree), false)
    .probabilities.map((x) => ({ bodyId: x.label, p: x.p }))
    .sort((a, b) => b.p - a.p || a.bodyId.localeCompare(b.bodyId));
}
