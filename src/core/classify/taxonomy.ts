import { z } from 'zod';
import { parseTerm, TermMatcher, termSchema, type AnalyzedTokens, type TermHit, type TermWord } from './terms.js';

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case latin letters, digits and _');
const terms = z.array(termSchema).default([]);

const topicSchema = z
  .object({
    id,
    name: z.string().min(1),
    /** Terms that file a post under this topic (and so under its group). */
    terms,
    /**
     * Terms that only choose this topic once its group has matched on its own terms: "дорога"
     * makes a snow post `snow.roads` without making every road post a snow post.
     */
    context: terms,
    /**
     * Terms that say where, not what ("детская площадка", "школа", "остановка"): they file a post
     * here in full only when no other group names a problem of its own; otherwise they count for
     * PLACE_SHARE of their weight — dogs on a playground are an animals post, not a playground one.
     */
    places: terms,
    /** Word forms or phrases whose words never count for this topic ("=дорогой друг"). */
    exclude: terms,
    /** Terms whose presence anywhere in the post rules this topic out. */
    veto: terms,
  })
  .strict()
  .refine((t) => t.terms.length + t.context.length + t.places.length > 0, 'a topic needs at least one term, place or context term');

const groupSchema = z
  .object({
    id,
    name: z.string().min(1),
    /** Terms that point to the group without saying which of its topics ("дорога", "ЖКХ"). */
    terms,
    places: terms,
    exclude: terms,
    veto: terms,
    topics: z.array(topicSchema).default([]),
  })
  .strict();

/**
 * The topic taxonomy (`rules/topics.json`): groups as control centers file incidents, each with
 * its topics (roads → potholes). A post is scored per group; the best topic inside the winning
 * group refines it to `group.topic`.
 */
export const taxonomySchema = z
  .object({
    version: z.literal(2),
    groups: z.array(groupSchema).min(1),
  })
  .strict()
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.groups.forEach((g, gi) => {
      if (seen.has(g.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['groups', gi, 'id'], message: `duplicate group id "${g.id}"` });
      seen.add(g.id);
      const topics = new Set<string>();
      g.topics.forEach((tp, ti) => {
        if (topics.has(tp.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['groups', gi, 'topics', ti, 'id'], message: `duplicate topic id "${tp.id}" in group "${g.id}"` });
        topics.add(tp.id);
      });
    });
    if (seen.has('other')) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['groups'], message: '"other" is what a post without a topic gets; do not define it' });
  });
export type Taxonomy = z.infer<typeof taxonomySchema>;

/** The group a topic id belongs to: `roads` for `roads.potholes` and for `roads`. */
export function groupOf(topic: string): string {
  const dot = topic.indexOf('.');
  return dot > 0 ? topic.slice(0, dot) : topic;
}

/** Top-level ids the taxonomy must cover (the issue's and the field's list), besides `other`. */
export const REQUIRED_GROUPS = ['roads', 'transport', 'landscaping', 'lighting', 'snow', 'waste', 'housing', 'education', 'healthcare', 'social', 'safety', 'ecology', 'animals'] as const;

type Role = 'term' | 'place' | 'context' | 'exclude' | 'veto';
interface Payload {
  group: number;
  /** -1 for a group-level term. */
  topic: number;
  role: Role;
}

export interface GroupScore {
  group: string;
  score: number;
  /** The part of the score its own terms gave (not places): the post names what is wrong with it. */
  termScore: number;
  /** Token positions where the group's terms and places matched (for cues near them). */
  positions: number[];
  /** `group.topic` when one of the group's topics matched. */
  subtopic?: string;
  /** The terms that fired, as written in the rules, with the words they matched. */
  evidence: string[];
}

/** A term repeated all over a long post counts at most this often. */
const MAX_REPEATS = 2;
/** What a place term counts for in a post where another group names a problem and its own does not. */
export const PLACE_SHARE = 0.25;

/** The taxonomy compiled once into one matcher for all groups, topics and roles. */
export class TopicRules {
  private readonly matcher = new TermMatcher<Payload>();
  readonly groupIds: string[];
  private readonly topicIds: string[][];

  constructor(readonly taxonomy: Taxonomy) {
    this.groupIds = taxonomy.groups.map((g) => g.id);
    this.topicIds = taxonomy.groups.map((g) => g.topics.map((t) => t.id));
    taxonomy.groups.forEach((g, gi) => {
      const add = (list: readonly string[], topic: number, role: Role) => list.forEach((t) => this.matcher.add(t, { group: gi, topic, role }));
      add(g.terms, -1, 'term');
      add(g.places, -1, 'place');
      add(g.exclude, -1, 'exclude');
      add(g.veto, -1, 'veto');
      g.topics.forEach((tp, ti) => {
        add(tp.terms, ti, 'term');
        add(tp.places, ti, 'place');
        add(tp.context, ti, 'context');
        add(tp.exclude, ti, 'exclude');
        add(tp.veto, ti, 'veto');
      });
    });
  }

  /**
   * The one-word terms and places of every group and topic, as the typo mender compares words with
   * them (exact forms whole, stems and prefixes as word beginnings).
   */
  spellingWords(): { value: string; whole: boolean }[] {
    const out: { value: string; whole: boolean }[] = [];
    const add = (list: readonly string[]) => {
      for (const source of list) {
        const t = parseTerm(source);
        if (typeof t === 'string' || t.words.length !== 1) continue;
        const w = t.words[0] as TermWord;
        out.push({ value: w.value, whole: w.kind === 'exact' });
      }
    };
    for (const g of this.taxonomy.groups) {
      add(g.terms);
      add(g.places);
      for (const tp of g.topics) {
        add(tp.terms);
        add(tp.places);
      }
    }
    return out;
  }

  /** Every group and topic id with its Russian name (the console's choices). */
  names(): { id: string; name: string }[] {
    return this.taxonomy.groups.flatMap((g) => [{ id: g.id, name: g.name }, ...g.topics.map((t) => ({ id: `${g.id}.${t.id}`, name: `${g.name}: ${t.name}` }))]);
  }

  /** Every `group` and `group.topic` id, for validating moderators' and routes' topics. */
  allIds(): string[] {
    return this.taxonomy.groups.flatMap((g) => [g.id, ...g.topics.map((t) => `${g.id}.${t.id}`)]);
  }

  /** Groups with a positive score, best first, each with its best topic and the evidence. */
  score(text: AnalyzedTokens): GroupScore[] {
    const hits = this.matcher.match(text);
    if (hits.length === 0) return [];
    const excluded = new Set<string>();
    const vetoed = new Set<string>();
    for (const h of hits) {
      const scope = `${h.payload.group}/${h.payload.topic}`;
      if (h.payload.role === 'exclude') for (let i = h.start; i < h.end; i++) excluded.add(`${scope}@${i}`);
      else if (h.payload.role === 'veto') vetoed.add(scope);
    }
    const isOut = (h: TermHit<Payload>, scope: string) => {
      for (let i = h.start; i < h.end; i++) if (excluded.has(`${scope}@${i}`)) return true;
      return false;
    };
    const groups = new Map<number, { score: number; termScore: number; positions: number[]; topics: Map<number, number>; evidence: string[]; repeats: Map<string, number> }>();
    // A word counts once per group (once per topic for context), for the strongest term that
    // matches it: "газа" matching both "газ" and "газа" is one piece of evidence, not two.
    const used = new Set<string>();
    const claim = (h: TermHit<Payload>, scope: string) => {
      for (let i = h.start; i < h.end; i++) if (used.has(`${scope}@${i}`)) return false;
      for (let i = h.start; i < h.end; i++) used.add(`${scope}@${i}`);
      return true;
    };
    const ordered = hits.filter((h) => h.payload.role !== 'exclude' && h.payload.role !== 'veto').sort((a, b) => b.term.weight - a.term.weight || b.end - b.start - (a.end - a.start) || a.start - b.start);
    const count = (h: TermHit<Payload>, share: number, note: string) => {
      const p = h.payload;
      const groupScope = `${p.group}/-1`;
      const topicScope = `${p.group}/${p.topic}`;
      if (vetoed.has(groupScope) || vetoed.has(topicScope) || isOut(h, groupScope) || isOut(h, topicScope)) return;
      let g = groups.get(p.group);
      if (!g) groups.set(p.group, (g = { score: 0, termScore: 0, positions: [], topics: new Map(), evidence: [], repeats: new Map() }));
      const seen = g.repeats.get(h.term.source) ?? 0;
      if (seen >= MAX_REPEATS || !claim(h, `g${p.group}`)) return;
      g.repeats.set(h.term.source, seen + 1);
      const weight = h.term.weight * share;
      g.score += weight;
      if (p.role === 'term') g.termScore += weight;
      g.positions.push(h.start);
      if (p.topic >= 0) g.topics.set(p.topic, (g.topics.get(p.topic) ?? 0) + weight);
      if (seen === 0 && g.evidence.length < 5) g.evidence.push(`"${text.tokens.slice(h.start, h.end).join(' ')}" ~ ${h.term.source}${note}`);
    };
    // Terms first, so places know which groups named a problem of their own; context last, as it
    // only chooses among groups already there.
    const placeHits: TermHit<Payload>[] = [];
    const contextHits: TermHit<Payload>[] = [];
    for (const h of ordered) {
      if (h.payload.role === 'term') count(h, 1, '');
      else (h.payload.role === 'place' ? placeHits : contextHits).push(h);
    }
    // Places count in full for a group that named a problem, or when none did.
    const named = new Set(groups.keys());
    for (const h of placeHits) {
      const full = named.size === 0 || named.has(h.payload.group);
      count(h, full ? 1 : PLACE_SHARE, full ? ' (place)' : ` (place, ×${PLACE_SHARE})`);
    }
    for (const h of contextHits) {
      const g = groups.get(h.payload.group);
      const scope = `${h.payload.group}/${h.payload.topic}`;
      if (!g || vetoed.has(scope) || isOut(h, scope) || !claim(h, `t${scope}`)) continue;
      g.topics.set(h.payload.topic, (g.topics.get(h.payload.topic) ?? 0) + h.term.weight);
      if (g.evidence.length < 6) g.evidence.push(`"${text.tokens.slice(h.start, h.end).join(' ')}" ~ ${h.term.source} (context)`);
    }
    const out: GroupScore[] = [];
    for (const [gi, g] of groups) {
      let best = -1;
      let bestScore = 0;
      for (const [ti, s] of g.topics) if (s > bestScore || (s === bestScore && ti < best)) [best, bestScore] = [ti, s];
      const group = this.groupIds[gi] as string;
      out.push({ group, score: g.score, termScore: g.termScore, positions: g.positions, ...(best >= 0 ? { subtopic: `${group}.${(this.topicIds[gi] as string[])[best] as string}` } : {}), evidence: g.evidence });
    }
    // Ties go to the group listed first in the rules, so the file's order is the tie-break.
    return out.sort((a, b) => b.score - a.score || this.groupIds.indexOf(a.group) - this.groupIds.indexOf(b.group));
  }
}
