import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { OtklikError } from '../core/errors.js';
import { labelledPostSchema, type LabelledPost } from '../core/classify/labelled-post.js';

export { labelledPostSchema, reportsProblem, type LabelledPost } from '../core/classify/labelled-post.js';

export function readLabelledPosts(path: string, displayName = path): LabelledPost[] {
  const out: LabelledPost[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (e) {
        throw new OtklikError('RULES_INVALID', `${displayName}:${i + 1}: not JSON: ${(e as Error).message}`);
      }
      const parsed = labelledPostSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new OtklikError('RULES_INVALID', `${displayName}:${i + 1}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
      }
      out.push(parsed.data);
    });
  return out;
}

/**
 * The fixed split: a post is in the test part when the hash of its text says so (one in five), so
 * the split never changes when examples are added or reordered and numbers stay comparable.
 */
export function isTestExample(p: Pick<LabelledPost, 'text'>): boolean {
  return (createHash('sha1').update(p.text).digest()[0] as number) % 5 === 0;
}
