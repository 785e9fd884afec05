import { expect, it } from 'vitest';
import { IncidentStore } from '../../../../src/adapters/redis/incident.store.js';
import { RedisKeys } from '../../../../src/adapters/redis/keys.js';
import { openingEvent } from '../../../../src/core/incident/lifecycle.js';
import { alertIncident, incidentRepositoryConformance } from '../../../helpers/incident-repository-conformance.js';
import { freshPrefix, useTestRedis } from '../../../helpers/redis.js';

const t = useTestRedis();

incidentRepositoryConformance('redis', () => new IncidentStore(t.redis, new RedisKeys(freshPrefix())));

it('an opened incident counts as incidents_opened and its event reaches the global stream, in the same step', async () => {
  const keys = new RedisKeys(freshPrefix());
  const store = new IncidentStore(t.redis, keys);
  const a = alertIncident('inc_a');
  await store.commit([{ incident: a, expectedVersion: 0, events: [openingEvent(a)] }]);
  expect(await t.redis.hget(keys.stats(), 'incidents_opened')).toBe('1');
  const stream = await t.redis.xrange(keys.eventStream(), '-', '+');
  expect(stream.map(([, f]) => JSON.parse(f[3] ?? '{}') as { action: string })).toMatchObject([{ action: 'open' }]);
});
