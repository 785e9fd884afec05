import { signatureSimilarity } from '../core/classify/near-duplicates.js';
import { isOtklikError } from '../core/errors.js';
import { incidentIdFor, type Incident } from '../core/incident/incident.js';
import type { DuplicateIndex } from '../ports/duplicate-index.js';
import type { IncidentService } from './incident.service.js';
import type { Actor } from '../core/incident/lifecycle.js';
import type { Repeat } from '../core/incident/repeats.js';

/** An incident the route stage proposes for an alert, with its opening post's near-duplicate signature. */
export interface Proposal {
  incident: Incident;
  fingerprint?: string;
}

/** What became of one proposal. */
export interface Placement {
  /** The incident the alert's post now belongs to: its own, or the open incident it copies. */
  incidentId: string;
  /** This call opened the proposed incident (false on a retry that finds it open). */
  opened: boolean;
  /** The post was attached to an earlier incident as a copy. */
  attached: boolean;
  similarity?: number;
  /** The alert repeats an incident closed not long ago (linked, or that incident was reopened). */
  repeatOf?: string;
}

export interface IncidentIntakeDeps {
  incidents: Pick<IncidentService, 'open' | 'attachDuplicatesMany' | 'act'>;
  /** Near-duplicate detection; without it every alert opens its own incident. */
  duplicates?: { index: DuplicateIndex; minSimilarity: number };
  /** Repeated problems: which closed incident each new alert repeats, and what to do about it. */
  repeats?: { finder: { findMany(alerts: readonly Incident[]): Promise<(Repeat | undefined)[]> }; policy: 'link' | 'reopen' };
}

const REPEATS: Actor = { id: 'repeat-detector', role: 'system' };
const REOPEN_REASON = 'повторное обращение: та же проблема на том же месте после закрытия';

interface Attachment {
  incidentId: string;
  similarity: number;
}

/**
 * Where the pipeline hands its alerts to the incident owner: each proposal either opens its incident
 * or, when it copies an open one (earlier, or earlier in the same batch), is attached to that one.
 * Every change goes through the incident service, so each has its audit event and effects.
 */
export class IncidentIntake {
  constructor(private readonly d: IncidentIntakeDeps) {}

  async take(proposals: readonly Proposal[]): Promise<Placement[]> {
    const dup = this.d.duplicates;
    const copies = dup ? await this.findCopies(proposals, dup) : proposals.map(() => undefined);
    // Originals first, so a copy later in the same batch has an incident to join.
    const originals = proposals.filter((_, i) => copies[i] === undefined);
    const opened = await this.d.incidents.open(originals.map((p) => p.incident));
    const out: Placement[] = proposals.map((p) => ({ incidentId: p.incident.id, opened: false, attached: false }));
    originals.forEach((p, k) => {
      const i = proposals.indexOf(p);
      out[i] = { incidentId: p.incident.id, opened: opened[k] ?? false, attached: false };
    });
    await this.handleRepeats(originals.filter((_, k) => opened[k] === true), proposals, out);
    if (!dup) return out;
    await dup.index.addMany(originals.flatMap((p) => (p.fingerprint ? [{ incidentId: p.incident.id, signature: p.fingerprint }] : [])));
    // Copies are attached per incident they join: one transition each, all in one commit.
    const byTarget = new Map<string, { at: number[]; similarity: number }>();
    copies.forEach((to, i) => {
      if (!to) return;
      const group = byTarget.get(to.incidentId) ?? { at: [], similarity: 0 };
      group.at.push(i);
      group.similarity = Math.max(group.similarity, to.similarity);
      byTarget.set(to.incidentId, group);
    });
    const orphans: number[] = [];
    // In incident id order: route jobs side by side meet shared incidents in the same order.
    const targets = [...byTarget.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const attached = await this.d.incidents.attachDuplicatesMany(targets.map(([incidentId, group]) => ({ incidentId, postIds: group.at.flatMap((i) => proposals[i]?.incident.postIds ?? []), similarity: group.similarity })));
    for (const [k, [target, group]] of targets.entries()) {
      if (attached[k]) {
        for (const i of group.at) out[i] = { incidentId: target, opened: false, attached: true, similarity: copies[i]?.similarity ?? group.similarity };
      } else {
        // The original closed or merged meanwhile: these open on their own.
        for (const i of group.at) {
          const postId = proposals[i]?.incident.postIds[0];
          if (postId) await dup.index.redecide(postId, incidentIdFor(postId));
        }
        orphans.push(...group.at);
      }
    }
    if (orphans.length > 0) {
      const made = await this.d.incidents.open(orphans.map((i) => (proposals[i] as Proposal).incident));
      orphans.forEach((i, k) => {
        out[i] = { incidentId: (proposals[i] as Proposal).incident.id, opened: made[k] ?? false, attached: false };
      });
    }
    return out;
  }

  /**
   * Alerts that repeat an incident closed not long ago: marked for the moderator (`link`), or the
   * closed incident is reopened and takes the alert (`reopen`). A repeat whose incident moved on
   * meanwhile (reopened by someone, merged) is left as a plain alert.
   */
  private async handleRepeats(fresh: readonly Proposal[], proposals: readonly Proposal[], out: Placement[]): Promise<void> {
    const r = this.d.repeats;
    if (!r || fresh.length === 0) return;
    const found = await r.finder.findMany(fresh.map((p) => p.incident));
    for (const [k, p] of fresh.entries()) {
      const repeat = found[k];
      if (!repeat) continue;
      const i = proposals.indexOf(p);
      try {
        if (r.policy === 'reopen') {
          await this.d.incidents.act(repeat.incidentId, { type: 'reopen', reason: REOPEN_REASON }, REPEATS);
          await this.d.incidents.act(p.incident.id, { type: 'merge', intoId: repeat.incidentId }, REPEATS);
          out[i] = { ...(out[i] as Placement), incidentId: repeat.incidentId, repeatOf: repeat.incidentId };
        } else {
          await this.d.incidents.act(p.incident.id, { type: 'mark_repeat', ofId: repeat.incidentId, closedAt: repeat.closedAt, score: repeat.score }, REPEATS);
          out[i] = { ...(out[i] as Placement), repeatOf: repeat.incidentId };
        }
      } catch (e) {
        if (!isOtklikError(e) || (e.code !== 'INCIDENT_TRANSITION_INVALID' && e.code !== 'INCIDENT_VERSION_CONFLICT' && e.code !== 'INCIDENT_NOT_FOUND')) throw e;
      }
    }
  }

  /**
   * Which proposals copy an open incident (earlier, or earlier in this batch). The index is asked
   * once for the whole batch; each post's decision is kept, so a retry decides the same.
   */
  private async findCopies(proposals: readonly Proposal[], dup: NonNullable<IncidentIntakeDeps['duplicates']>): Promise<(Attachment | undefined)[]> {
    const withSig = proposals.flatMap((p, i) => (p.fingerprint === undefined ? [] : [{ i, inc: p.incident, sig: p.fingerprint }]));
    const found = await dup.index.findMany(
      withSig.map((w) => w.sig),
      dup.minSimilarity,
    );
    const local: { id: string; sig: string }[] = [];
    const proposed: (Attachment | undefined)[] = [];
    withSig.forEach((w, k) => {
      let best: Attachment | undefined;
      for (const l of local) {
        const similarity = signatureSimilarity(w.sig, l.sig);
        if (similarity >= dup.minSimilarity && (!best || similarity > best.similarity)) best = { incidentId: l.id, similarity };
      }
      // The post's own incident (a redelivery) is not its duplicate.
      best ??= (found[k] ?? []).find((c) => c.incidentId !== w.inc.id);
      if (!best) local.push({ id: w.inc.id, sig: w.sig });
      proposed.push(best);
    });
    // A retry keeps the first attempt's decision.
    const decided = await dup.index.decideMany(withSig.map((w, k) => ({ postId: w.inc.postIds[0] as string, incidentId: proposed[k]?.incidentId ?? w.inc.id })));
    const out: (Attachment | undefined)[] = proposals.map(() => undefined);
    withSig.forEach((w, k) => {
      const target = decided[k] as string;
      out[w.i] = target === w.inc.id ? undefined : { incidentId: target, similarity: proposed[k]?.similarity ?? dup.minSimilarity };
    });
    return out;
  }
}
