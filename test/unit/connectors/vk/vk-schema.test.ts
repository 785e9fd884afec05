import { describe, expect, it } from 'vitest';
import { vkCallCheck, vkResponseProblems } from '../../../fixtures/vk-schema.js';

/** The referee the VK fake answers to: VK's own JSON schema (test/fixtures/vk-api-schema, MIT). */
describe('VK JSON schema as the fake\'s referee', () => {
  it('refuses a call with a token kind the method does not take, with VK\'s error', () => {
    expect(vkCallCheck('wall.getComment', { owner_id: '-1', comment_id: '5' }, 'service').refusal?.error_code).toBe(28);
    expect(vkCallCheck('execute', {}, 'service').refusal?.error_code).toBe(28);
    expect(vkCallCheck('wall.get', { owner_id: '-1' }, 'group').refusal?.error_code).toBe(27);
    expect(vkCallCheck('wall.getComments', { owner_id: '-1', post_id: '5' }, 'service')).toEqual({ problems: [] });
    expect(vkCallCheck('wall.createComment', { owner_id: '-1', post_id: '5', from_group: '1', message: 'x', guid: 'g' }, 'group')).toEqual({ problems: [] });
  });

  it('names parameters a method does not take, out of range or of the wrong type, and missing required ones', () => {
    expect(vkCallCheck('wall.getComments', { owner_id: '-1', post_id: '5', direction: 'asc' }, 'user').problems).toEqual(['wall.getComments: parameter direction is not in the schema']);
    expect(vkCallCheck('wall.getComments', { owner_id: '-1', post_id: '5', thread_items_count: '20' }, 'user').problems[0]).toMatch(/thread_items_count=20 is above 10/);
    expect(vkCallCheck('wall.getComments', { owner_id: '-1', post_id: '5', sort: 'newest' }, 'user').problems[0]).toMatch(/sort=newest is not one of/);
    expect(vkCallCheck('wall.getComments', { owner_id: '-1', post_id: 'abc' }, 'user').problems[0]).toMatch(/post_id=abc is not a number/);
    expect(vkCallCheck('wall.createComment', { owner_id: '-1', message: 'x' }, 'group').problems).toEqual(['wall.createComment: required parameter post_id is missing']);
  });

  it('wall.get owner_id is the one documented parameter this schema release lacks', () => {
    expect(vkCallCheck('wall.get', { owner_id: '-1', offset: '0', count: '100' }, 'service')).toEqual({ problems: [] });
  });

  it('flags answers VK would not give: a missing required field, a wrong type, a field VK does not have', () => {
    const post = { inner_type: 'wall_wallpost', id: 1, owner_id: -1, from_id: -1, date: 1763730000, text: 'x', likes: { can_like: 1, count: 0, user_likes: 0 } };
    expect(vkResponseProblems('wall.get', { count: 1, items: [post] })).toEqual([]);
    expect(vkResponseProblems('wall.get', { count: 1, items: [{ ...post, inner_type: undefined }] }).join()).toMatch(/inner_type/);
    expect(vkResponseProblems('wall.get', { count: 1, items: [{ ...post, date: '2026-11-21' }] }).join()).toMatch(/date must be integer/);
    expect(vkResponseProblems('wall.get', { count: 1, items: [{ ...post, date_ms: 1 }] })).toEqual(['wall.get.response.items[0].date_ms is not in the schema']);
    expect(vkResponseProblems('wall.getComments', { count: 1, items: [{ id: 1, date: 1, text: 'x' }] }).join()).toMatch(/from_id/);
  });
});
