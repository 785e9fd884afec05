import { describe, expect, it } from 'vitest';
import { purgedPayload } from '../../../src/pipeline/dead-letter.js';

const post = { id: 'vk:-1_1', revision: 'r1', text: 'Яма', author: { id: '5', kind: 'user' }, raw: { from_id: 5 } };

describe('retention of dead letters', () => {
  it("the poll stage's platform payload goes entirely; later stages keep the post without author and raw payload", () => {
    expect(purgedPayload({ stage: 'poll', payload: '{"id":1,"from_id":5}' })).toBeNull();
    expect(purgedPayload({ stage: 'poll', payload: post })).toBeNull();
    expect(purgedPayload({ stage: 'analyze', payload: post })).toEqual({ id: 'vk:-1_1', revision: 'r1', text: 'Яма', author: null });
    expect(purgedPayload({ stage: 'index', payload: { post, classification: { type: 'complaint' } } })).toEqual({
      post: { id: 'vk:-1_1', revision: 'r1', text: 'Яма', author: null },
      classification: { type: 'complaint' },
    });
  });

  it('payloads without personal data, or not objects, are left as they are', () => {
    expect(purgedPayload({ stage: 'notify', payload: { incidentId: 'inc_1', event: 'routed' } })).toEqual({ incidentId: 'inc_1', event: 'routed' });
    expect(purgedPayload({ stage: 'route', payload: 'garbage' })).toBe('garbage');
    expect(purgedPayload({ stage: 'route', payload: null })).toBeNull();
  });
});
