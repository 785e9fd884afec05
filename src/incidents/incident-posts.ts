import type { Incident } from '../core/incident/incident.js';
import { parseQuery, searchQuerySchema, type SearchHit } from '../core/search/query.js';
import type { SearchIndex } from '../search/search-index.js';

/** How many posts of each kind one answer carries; past that, `truncated` says so. */
export const INCIDENT_POSTS_LIMIT = 100;
/** A search filter takes at most this many values. */
const FILTER_VALUES = 50;

export interface IncidentPosts {
  /** The opening post and its copies (near-duplicates attached later), oldest first. */
  posts: SearchHit[];
  /** Comments and replies under those posts, oldest first. */
  thread: SearchHit[];
  /** The posts the incident's comments were written under: what a comment answers. */
  context: SearchHit[];
  truncated: boolean;
}

/**
 * Everything said about an incident on the platforms, read back from the search index: the copies
 * side by side, the discussion under them, and for a comment the post it answers.
 */
export class IncidentPostsReader {
  constructor(private readonly search: SearchIndex) {}

  async of(incident: Incident): Promise<IncidentPosts> {
    const find = (filter: Record<string, string[]>) => this.search.search(parseQuery(searchQuerySchema, { ...filter, sort: 'oldest', size: INCIDENT_POSTS_LIMIT }));
    const posts = await find({ incident: [incident.id] });
    const postIds = posts.items.map((p) => p.id);
    const threadOf = postIds.slice(0, FILTER_VALUES);
    const thread = threadOf.length > 0 ? await find({ parent: threadOf }) : { total: 0, items: [] };
    const parents = [...new Set(posts.items.flatMap((p) => (p.parentId ? [p.parentId] : [])))].slice(0, FILTER_VALUES);
    const context = parents.length > 0 ? await find({ id: parents }) : { total: 0, items: [] };
    return {
      posts: posts.items,
      thread: thread.items,
      context: context.items,
      truncated: posts.total > posts.items.length || thread.total > thread.items.length || postIds.length > FILTER_VALUES,
    };
  }
}
