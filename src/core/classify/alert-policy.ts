import { z } from 'zod';
import { TermMatcher, termSchema, type AnalyzedTokens } from './terms.js';

const TYPES = ['complaint', 'question', 'gratitude', 'review', 'other'] as const;
const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;
const LANGUAGES = ['rus', 'ukr', 'bel', 'kaz', 'uzb', 'eng', 'und'] as const;

const priorityRule = z
  .object({
    /** Why, in the explanation and the moderator's list. */
    name: z.string().min(1),
    /** Topic ids (`housing` or `housing.gas`); the rule matches any of them. */
    topics: z.array(z.string().min(1)).optional(),
    /** Matches when the text has an urgent cue (rules/cues.json). */
    urgent: z.boolean().optional(),
    /** Matches when the sentiment score is at or below this. */
    sentimentAtMost: z.number().min(-1).max(1).optional(),
    types: z.array(z.enum(TYPES)).optional(),
  })
  .strict()
  .refine((r) => r.topics !== undefined || r.urgent !== undefined || r.sentimentAtMost !== undefined || r.types !== undefined, 'a priority rule needs at least one condition');

/**
 * When a classified post becomes an alert for moderators (`rules/alerts.json`), what counts as
 * noise, and what makes an alert high priority. Control centers tune this, not the code.
 */
export const alertPolicySchema = z
  .object({
    version: z.literal(1),
    /**
     * A post is actionable when it reports a problem (with `problem`: the problem detector's
     * verdict, its model's P(problem) at least `problemMin`), or its type or sentiment is listed.
     */
    actionable: z
      .object({
        problem: z.boolean().default(false),
        problemMin: z.number().min(0).max(1).default(0.5),
        types: z.array(z.enum(TYPES)),
        sentiments: z.array(z.enum(SENTIMENTS)),
      })
      .strict(),
    /** Monitored topics: group or group.topic ids, or "*" for every topic but `other`. */
    topics: z.array(z.string().min(1)).min(1),
    /** Topics never alerted on, even when `topics` covers them. */
    ignoreTopics: z.array(z.string().min(1)).default([]),
    /** Monitored territories ("*" = any, including none); a territory covers its parts in the gazetteer. */
    territories: z.array(z.string().min(1)).min(1),
    languages: z.array(z.enum(LANGUAGES)).min(1),
    noise: z
      .object({
        /**
         * Advertising, classified notices (sale, rent, giveaway, lost and found) and spam vocabulary.
         * Each distinct term counts its weight (1 unless `^w`): "продам^2" is an ad by itself.
         */
        ads: z.array(termSchema),
        /** The weight of ad cues that makes a post noise when it has a topic; any ad cue does without one. */
        adsWithTopic: z.number().min(0.1),
        /** Posts with fewer words are noise ("+", "👍", "ок"). */
        minWords: z.number().int().min(0),
        /** Posts with more links than this are noise (link dumps, reposted ads). */
        maxLinks: z.number().int().min(0),
      })
      .strict(),
    priority: z.object({ high: z.array(priorityRule) }).strict(),
  })
  .strict();
export type AlertPolicyRules = z.infer<typeof alertPolicySchema>;

/** What the decision needs to know about a post. */
export interface AlertInput {
  text: AnalyzedTokens;
  links: number;
  language: string;
  topic: string;
  subtopic?: string;
  territory?: string;
  type: (typeof TYPES)[number];
  sentiment: { label: (typeof SENTIMENTS)[number]; score: number };
  urgent: boolean;
  /** The problem detector's verdict. */
  problem: boolean;
  /** The ad terms the text holds (adCues), when the caller has them already. */
  ads?: AdCues;
  /** The source's policy: every post of it is an appeal (actionable, with or without a topic). */
  everyPost?: boolean;
}

export interface AlertDecision {
  alert: boolean;
  spam: boolean;
  priority: 'high' | 'normal';
  /** Noise reasons (ads, too short, link dump); empty for a clean post. */
  noise: string[];
  explain: string[];
}

/** The distinct advertising terms a text holds, and their summed weight. */
export interface AdCues {
  terms: readonly string[];
  weight: number;
}

export class AlertPolicy {
  private readonly ads = new TermMatcher<true>();

  constructor(
    private readonly rules: AlertPolicyRules,
    /** Is one territory inside another? The gazetteer knows. */
    private readonly within: (inner: string, outer: string) => boolean,
  ) {
    rules.noise.ads.forEach((t) => this.ads.add(t, true));
  }

  /** The P(problem) a report needs (the problem detector compares its model's score with it). */
  get problemThreshold(): number {
    return this.rules.actionable.problemMin;
  }

  /** The distinct advertising terms in a text and their summed weight. */
  adCues(text: AnalyzedTokens): AdCues {
    const seen = new Map<string, number>();
    for (const h of this.ads.match(text)) seen.set(h.term.source, h.term.weight);
    let weight = 0;
    for (const w of seen.values()) weight += w;
    return { terms: [...seen.keys()], weight };
  }

  decide(p: AlertInput): AlertDecision {
    const r = this.rules;
    const topical = p.topic !== 'other';
    const noise: string[] = [];
    const ads = p.ads ?? this.adCues(p.text);
    if (ads.weight >= r.noise.adsWithTopic || (ads.terms.length > 0 && !topical)) noise.push(`ads: ${ads.terms.slice(0, 4).join(', ')}`);
    // "Треснут люк" is a whole report: shortness is noise only when no problem is reported.
    if (p.text.tokens.length < r.noise.minWords && !p.problem) noise.push(`too short: ${p.text.tokens.length} words < ${r.noise.minWords}`);
    if (p.links > r.noise.maxLinks) noise.push(`link dump: ${p.links} links > ${r.noise.maxLinks}`);
    const spam = noise.length > 0;

    const why: string[] = [];
    if (spam) why.push(`noise (${noise.join('; ')})`);
    const actionable = p.everyPost === true || (r.actionable.problem && p.problem) || r.actionable.types.includes(p.type) || r.actionable.sentiments.includes(p.sentiment.label);
    if (!actionable) why.push(r.actionable.problem ? `no problem reported (type ${p.type}, sentiment ${p.sentiment.label})` : `not actionable (type ${p.type}, sentiment ${p.sentiment.label})`);
    // An appeal from a feedback channel is routed even when no topic is recognised (the fallback body sorts it).
    if (!topical && !p.everyPost) why.push('no topic');
    else if (!this.topicMonitored(p.topic, p.subtopic)) why.push(`topic ${p.subtopic ?? p.topic} not monitored`);
    if (!this.territoryMonitored(p.territory)) why.push(`territory ${p.territory ?? '(none)'} not monitored`);
    if (!(r.languages as readonly string[]).includes(p.language)) why.push(`language ${p.language} not monitored`);
    const alert = why.length === 0;
    if (!alert) return { alert, spam, priority: 'normal', noise, explain: [`no alert: ${why.join(', ')}`] };

    const high = r.priority.high.find((rule) => this.priorityMatches(rule, p));
    return {
      alert,
      spam,
      priority: high ? 'high' : 'normal',
      noise,
      explain: [
        `alert: ${p.type}/${p.sentiment.label} in ${p.subtopic ?? p.topic}${p.territory ? `, ${p.territory}` : ''}${p.everyPost ? ' (the source: every post is an appeal)' : ''}`,
        ...(high ? [`priority high: ${high.name}`] : []),
      ],
    };
  }

  private topicMonitored(topic: string, subtopic: string | undefined): boolean {
    const hit = (list: readonly string[]) => list.some((t) => t === topic || (subtopic !== undefined && t === subtopic));
    if (hit(this.rules.ignoreTopics)) return false;
    return this.rules.topics.includes('*') || hit(this.rules.topics);
  }

  private territoryMonitored(territory: string | undefined): boolean {
    const list = this.rules.territories;
    if (list.includes('*')) return true;
    return territory !== undefined && list.some((t) => this.within(territory, t));
  }

  private priorityMatches(rule: z.infer<typeof priorityRule>, p: AlertInput): boolean {
    if (rule.topics && !rule.topics.some((t) => t === p.topic || t === p.subtopic)) return false;
    if (rule.urgent !== undefined && rule.urgent !== p.urgent) return false;
    if (rule.sentimentAtMost !== undefined && p.sentiment.score > rule.sentimentAtMost) return false;
    if (rule.types && !rule.types.includes(p.type)) return false;
    return true;
  }
}
