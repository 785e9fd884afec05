import type { Language } from './language.js';
import type { LinearModel } from './linear-model.js';
import type { Sentiment } from './sentiment.js';
import type { Taxonomy } from './taxonomy.js';
import type { Cues } from './cues.js';
import type { Gazetteer } from './gazetteer.js';
import type { AlertPolicyRules } from './alert-policy.js';

export type { Sentiment } from './sentiment.js';

/** Trained models the classifier uses beside its rules; each is optional. */
export interface ClassifierModels {
  /** Softmax regression over sentiment features (labels: negative, neutral, positive). */
  sentiment?: LinearModel;
  /** Softmax regression over topic features (labels: top-level groups and `other`). */
  topics?: LinearModel;
  /** Softmax regression over problem features (labels: no, yes). */
  problem?: LinearModel;
  /** How rules and the topic model are blended (chosen by cross-validation on real posts). */
  blend?: TopicBlend;
}

/** How much the rules count against the topic model, and how sure the model must be alone. */
export interface TopicBlend {
  /** The rules' share of the vote when both have one; the model has the rest. */
  ruleWeight: number;
  /** Without any rule matching, the model must be at least this sure to name a topic. */
  modelAloneMin: number;
}

export const DEFAULT_BLEND: TopicBlend = { ruleWeight: 0.6, modelAloneMin: 0.5 };

/** Everything in `rules/` the classifier runs on. */
export interface ClassifierRules {
  taxonomy: Taxonomy;
  cues: Cues;
  alerts: AlertPolicyRules;
  gazetteer?: Gazetteer;
  /** Stems of correctly spelt words: the typo mender leaves them alone (rules/lexicon). */
  knownStems?: ReadonlySet<string>;
}

/** What the classifier knows about a post besides its text. */
export interface PostContext {
  /** The source's configured territory: the default, which place names in the text refine. */
  territory?: string;
  /**
   * The source says every post of it is an appeal (an official feedback channel): a post is
   * actionable whatever its tone, wording or topic; noise, language and territory still count.
   */
  everyPostActionable?: boolean;
  /** A comment is judged with the post it answers: its own words must report a problem. */
  kind?: 'post' | 'comment';
  /** The post a comment answers: its id, and what the engine made of it when it is known. */
  parent?: { id: string } & Partial<ParentContext>;
}

/** What a comment needs to know of the post it answers. */
export interface ParentContext {
  topic: string;
  problem: boolean;
}

export type MessageType = 'complaint' | 'question' | 'gratitude' | 'review' | 'other';
export type Priority = 'high' | 'normal';

/** What the engine concluded about one post, and why. */
export interface Classification {
  /** Optional only for payloads classified before language detection existed. */
  language?: Language;
  /** Top-level topics, best first; `other` alone when the post has none. */
  topics: { id: string; score: number }[];
  /** The best topic inside the first group (`snow.yards`), when the rules could tell. */
  subtopic?: string;
  sentiment: { label: Sentiment; score: number };
  type: MessageType;
  /**
   * Does the post report a problem someone must fix, or ask the authorities something? Decided
   * apart from tone: a neutral "Отсутствует освещение у дома 7" reports one. Optional only for
   * payloads classified before problem detection existed.
   */
  problem?: { reported: boolean; score: number };
  /** Praise that means the opposite ("спасибо за очередную яму"): sentiment and type follow the meaning. */
  sarcasm?: boolean;
  /** The source's territory, or the place the text names. */
  territory?: string;
  /** A street named in several places with nothing to say which: each of them (territory holds them all). */
  territoryCandidates?: string[];
  spam: boolean;
  /** Why the post counts as noise (ads, too short, link dump). */
  noise?: string[];
  alert: boolean;
  priority: Priority;
  /** MinHash signature of an alert's text and the house numbers it names, for near-duplicate detection; absent for other posts and very short texts. */
  fingerprint?: string;
  explain: string[];
}
