import type { Incident } from '../core/incident/incident.js';
import { parseQuery, searchQuerySchema, type SearchHit } from '../core/search/query.js';
import type { SearchIndex } from '../ports/search-index.js';

/** A search filter takes at most this many values. */
const FILTER_VALUES = 50;

export interface IncidentPosts {
  /** The opening post and its copies (near-duplicates attached later), oldest first: this page and the total. */
  posts: { items: SearchHit[]; total: number };
  /** Comments and replies under those posts, oldest first: this page and the total. */
  thread: { items: SearchHit[]; total: number };
  /** The posts the incident's comments were written under: what a comment answers. */
  context: SearchHit[];
  page: number;
  size: number;
}

/**
 * Everything said about an incident on the platforms, read back from the search index: the copies
 * side by side, the discussion under them, and for a comment the post it answers. Copies and
 * thread are paged together (page N of each).
 */
export class IncidentPostsReader {
  constructor(private readonly search: SearchIndex) {}

  async of(incident: Incident, page = 1, size = 50): Promise<IncidentPosts> {
    const find = (filter: Record<string, string[]>, p: number, n: number) => this.search.search(parseQuery(searchQuerySchema, { ...filter, sort: 'oldest', page: p, size: n }));
    // By the incident's own post ids where they fit one filter: a merge or split shows at once, not
    // when the index has re-labelled the posts; a very large incident is read by its label.
    const mine: Record<string, string[]> = incident.postIds.length <= FILTER_VALUES ? { id: incident.postIds } : { incident: [incident.id] };
    const posts = await find(mine, page, size);
    // The thread hangs under the incident's posts, not only this page's: read their ids first.
    const ids = page === 1 && posts.total <= size ? posts.items.map((p) => p.id) : (await find(mine, 1, FILTER_VALUES)).items.map((p) => p.id);
    const thread = ids.length > 0 ? await find({ parent: ids.slice(0, FILTER_VALUES) }, page, size) : { total: 0, items: [] };
    const parents = [...new Set(posts.items.flatMap((p) => (p.parentId ? [p.parentId] : [])))].slice(0, FILTER_VALUES);
    const context = parents.length > 0 ? (await find({ id: parents }, 1, FILTER_VALUES)).items : [];
    return { posts: { items: posts.items, total: posts.total }, thread: { items: thread.items, total: thread.total }, context, page, size };
  }
}
