import { predictLinear, type LinearModel } from './linear-model.js';
import type { FeatureWalk } from './features.js';
import type { TopicBlend } from './classification.js';
import type { GroupScore } from './taxonomy.js';
import { round3 } from '../numbers.js';

/** Rules and model vote together; the topic inside the winning group comes from the rules. */
export function blendTopics(ruled: readonly GroupScore[], model: LinearModel | undefined, features: readonly string[] | FeatureWalk, blend: TopicBlend, explain: string[]): { topics: { id: string; score: number }[]; subtopic?: string } {
  const total = ruled.reduce((s, g) => s + g.score, 0);
  const combined = new Map<string, number>();
  const { ruleWeight: blendWeight, modelAloneMin } = blend;
  for (const g of ruled.slice(0, 3)) explain.push(`topic ${g.subtopic ?? g.group} by rules ${g.score}: ${g.evidence.join('; ')}`);
  const pred = model ? predictLinear(model, features) : undefined;
  if (pred) {
    const top = [...pred.probabilities].sort((a, b) => b.p - a.p).slice(0, 2);
    explain.push(`topic model: ${top.map((p) => `${p.label} ${p.p.toFixed(2)}`).join(', ')}${pred.evidence.length > 0 ? ` (${pred.evidence.join(', ')})` : ''}`);
  }
  if (total === 0) {
    // Silent rules are no vote: the model alone decides, when it is sure enough.
    const best = pred?.probabilities.reduce((a, b) => (b.p > a.p ? b : a));
    if (best && best.label !== 'other' && best.p >= modelAloneMin) {
      explain.push(`topic ${best.label} by the model alone (${best.p.toFixed(2)} ≥ ${modelAloneMin})`);
      return { topics: [{ id: best.label, score: round3(best.p) }] };
    }
    explain.push('topic other: no rule matched' + (pred ? ' and the model is not sure' : ''));
    return { topics: [{ id: 'other', score: round3(best?.label === 'other' ? best.p : 1) }] };
  }
  // The rules' weights become a share against one unit of "nothing here", so one weak word is a
  // coin toss and three strong ones are near certain; the model's probabilities are blended in.
  const ruleWeight = pred ? blendWeight : 1;
  for (const g of ruled) combined.set(g.group, (ruleWeight * g.score) / (total + 1));
  combined.set('other', ruleWeight / (total + 1));
  // Once the rules see a topic, whether the post has one is theirs to say (and the problem
  // detector's to judge); the model only says which: its "other" is left out and the rest
  // rescaled, so a short report the model has no words for keeps the topic its rules found.
  const named = (pred?.probabilities ?? []).filter((p) => p.label !== 'other');
  const mass = named.reduce((sum, p) => sum + p.p, 0);
  if (mass > 0) for (const p of named) combined.set(p.label, (combined.get(p.label) ?? 0) + ((1 - ruleWeight) * p.p) / mass);
  // On a tie a named topic beats `other`: a moderator can reject an alert, but never sees a miss.
  const ranked = [...combined.entries()].sort((a, b) => b[1] - a[1] || Number(a[0] === 'other') - Number(b[0] === 'other') || a[0].localeCompare(b[0]));
  const [bestId, bestScore] = ranked[0] as [string, number];
  if (bestId === 'other') {
    explain.push(`topic other (${bestScore.toFixed(2)})`);
    return { topics: [{ id: 'other', score: round3(bestScore) }] };
  }
  const topics = ranked.filter(([id, s]) => id !== 'other' && s >= 0.1).slice(0, 3).map(([id, s]) => ({ id, score: round3(s) }));
  const best: GroupScore | undefined = ruled.find((g) => g.group === bestId);
  return { topics, ...(best?.subtopic ? { subtopic: best.subtopic } : {}) };
}

