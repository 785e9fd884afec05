import { loadClassifier } from '../../src/roles/rules.js';
import { loadConfig } from '../../src/config/config.js';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths.js';
import { parseReplayLine } from '../../connectors/replay/replay-line.js';
import { analyzePosts } from '../../src/pipeline/analyze.stage.js';
import type { Post } from '../../src/core/post.js';

export const DEMO_CORPUS = join(projectRoot, 'connectors/replay/demo/corpus.jsonl');

export function demoLines(): string[] {
  return readFileSync(DEMO_CORPUS, 'utf8').split('\n').filter((l) => l.trim() !== '');
}

/**
 * Two demo-corpus lines about one pothole in other words, from two communities (written for the
 * tests): near-duplicate detection leaves them apart; a moderator merges them.
 */
export function potholePair(): string[] {
  const vk = (owner: number, id: number, text: string) =>
    JSON.stringify({ platform: 'vk', kind: 'post', item: { id, owner_id: owner, from_id: 1000 + id, date: 1794805764, post_type: 'post', text, comments: { count: 0 }, likes: { count: 1 }, reposts: { count: 0 } } });
  return [
    vk(-210345003, 990001, 'На улице Садовой у дома 12 огромная яма на дороге, машины бьют колёса, сделайте ремонт срочно'),
    vk(-210345004, 990002, 'Садовая 12 — яма на дороге уже месяц, колёса пробиваем, когда будет ремонт?'),
  ];
}

/** Writes lines to a fresh temporary JSONL file and returns its path. */
export function writeCorpus(lines: readonly string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'otklik-corpus-')), 'corpus.jsonl');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** What a correct run must produce for a corpus, computed independently of the pipeline. */
export function expectedOutcome(lines: readonly string[]): { valid: number; invalid: number; alerts: number } {
  // The engine's own classifier, rules and models alike, so the expectation follows the engine.
  const classifier = loadClassifier(loadConfig({}));
  const ctx = { sourceId: 'x', capturedAt: new Date().toISOString() };
  const seen = new Set<string>();
  const posts: Post[] = [];
  let invalid = 0;
  lines.forEach((l, i) => {
    try {
      const p = parseReplayLine(l, 'f', i + 1, ctx);
      if (!p) return;
      seen.add(`${p.id}#${p.revision}`);
      posts.push(p);
    } catch {
      invalid++;
    }
  });
  // As the analyze stage does it: comments judged with the post they answer. Whether a parent comes
  // in the same batch or an earlier one changes no alert (a reply's own words decide).
  const alertPosts = new Set(analyzePosts(posts, classifier, new Date()).analyzed.filter((a) => a.classification.alert).map((a) => a.post.id));
  return { valid: seen.size, invalid, alerts: alertPosts.size };
}
