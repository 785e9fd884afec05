import { join } from 'node:path';
import { BodyDirectory } from '../../src/core/bodies/bodies.js';
import { routingRulesSchema, type RoutingRules } from '../../src/core/routing/router.js';
import { loadClassifier } from '../../src/roles/rules.js';
import { loadConfig } from '../../src/config/config.js';
import { loadJsonRules } from '../../src/adapters/files/json-rules.js';
import { loadCalendarsFor } from '../../src/adapters/files/calendars.js';
import { projectRoot } from '../../src/paths.js';
import type { TransitionEnv } from '../../src/core/incident/lifecycle.js';
import type { Incident } from '../../src/core/incident/incident.js';

/** The shipped bodies, SLA policies, topics and calendars, as the engine loads them. */
export function shippedEnv(over: Partial<RoutingRules> = {}): TransitionEnv {
  const rules = { ...loadJsonRules(join(projectRoot, 'rules/routing.json'), routingRulesSchema), ...over };
  const bodies = new BodyDirectory(rules.bodies, rules.slaPolicies);
  const calendars = loadCalendarsFor(join(projectRoot, 'rules/calendars'), bodies.all().map((b) => bodies.calendarKey(b.id)));
  const topics = new Set(loadClassifier(loadConfig({})).topicIds());
  return { bodies, topics, rerouteRestartsBodyClock: rules.rerouteRestartsBodyClock, answerReview: rules.answerReview, setupFor: (id) => bodies.clockSetup(id, calendars) };
}

export function alertIncident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'inc_test',
    status: 'alert',
    version: 1,
    postIds: ['vk:-1_1'],
    topic: 'roads',
    territory: 'г. Энск',
    proposedBodyId: 'city-roads',
    routeReason: 'route roads',
    priority: 'normal',
    sentiment: { label: 'negative', score: -1 },
    type: 'complaint',
    createdAt: '2025-11-12T07:00:00.000Z',
    updatedAt: '2025-11-12T07:00:00.000Z',
    clocks: [],
    answers: [],
    reroutes: [],
    ...over,
  };
}
