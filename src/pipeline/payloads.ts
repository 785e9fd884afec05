import { z } from 'zod';
import type { Post } from '../core/post.js';
import type { Classification } from '../core/classify/classifier.js';

/** The pipeline's stages, in order. */
export const STAGES = ['poll', 'analyze', 'route', 'index'] as const;
export type Stage = (typeof STAGES)[number];

/** `poll`: one scheduled tick of one source. */
export interface PollJob {
  sourceId: string;
}

/** `analyze`: a batch of freshly captured posts from one source. */
export interface AnalyzeJob {
  sourceId: string;
  posts: Post[];
}

export interface AnalyzedPost {
  post: Post;
  classification: Classification;
  analyzedAt: string;
}

/** `route`: the analysed batch. */
export interface RouteJob {
  items: AnalyzedPost[];
}

export interface RoutedPost extends AnalyzedPost {
  incidentId?: string;
  routedAt: string;
}

/** `index`: the routed batch. */
export interface IndexJob {
  items: RoutedPost[];
}

/**
 * Envelope checks for job payloads. Posts are fully validated once, at capture; between stages
 * the engine checks the envelope so a corrupted job fails with a code instead of a TypeError.
 */
export const pollJobSchema = z.object({ sourceId: z.string().min(1) });
export const analyzeJobSchema = z.object({ sourceId: z.string().min(1), posts: z.array(z.object({ id: z.string(), revision: z.string() }).passthrough()) });
export const routeJobSchema = z.object({ items: z.array(z.object({ post: z.object({ id: z.string() }).passthrough(), classification: z.object({}).passthrough() }).passthrough()) });
export const indexJobSchema = routeJobSchema;
