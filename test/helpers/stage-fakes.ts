import type { Queue } from 'bullmq';
import { DeadLetters } from '../../src/pipeline/dead-letter.js';
import type { StageQueues } from '../../src/pipeline/queues.js';

/** Stage queues in memory: what a worker hands on, to which stage, under which job id. */
export function memoryStageQueues(): { queues: StageQueues; added: { stage: string; data: unknown; jobId: string }[] } {
  const added: { stage: string; data: unknown; jobId: string }[] = [];
  const queues: StageQueues = { add: async (stage, data, jobId) => void added.push({ stage, data, jobId }), addBulk: async () => {}, holdIndex: async () => {}, backlog: async () => 0 };
  return { queues, added };
}

/** Dead letters that go nowhere (a worker test that expects none). */
export const droppedDeadLetters = (): DeadLetters => new DeadLetters({ addBulk: async () => [] } as unknown as Queue);
