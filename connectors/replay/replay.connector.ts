import { z } from 'zod';
import { OtklikError } from '../../src/core/errors.js';
import { isOtklikError, toOtklikError } from '../../src/core/errors.js';
import type {
  Connector,
  ConnectorEnvironment,
  ConnectorFactory,
  PollItem,
  PollOptions,
  PollResult,
  SourceDefinition,
} from '../../src/connector/connector.js';
import { readLines } from './line-reader.js';
import { parseReplayLine } from './replay-line.js';

export const replayOptionsSchema = z
  .object({
    /** JSONL file of platform payloads; relative paths are resolved against the project directory. */
    file: z.string().min(1),
    /** Items per second; 0 plays the file as fast as the pipeline takes it. */
    ratePerSecond: z.number().int().min(0).default(50),
  })
  .strict();

export type ReplayOptions = z.infer<typeof replayOptionsSchema>;

const cursorSchema = z.object({ offset: z.number().int().min(0), line: z.number().int().min(1) });
export type ReplayCursor = z.infer<typeof cursorSchema>;

/** Plays a JSONL file of VK/OK/Telegram payloads so the whole pipeline runs with no network. */
export class ReplayConnector implements Connector<ReplayCursor> {
  readonly type = 'replay';
  readonly coverage = ['replay-file'] as const;
  readonly cursorSchema = cursorSchema;
  readonly itemsPerSecond: number | undefined;
  readonly sourceId: string;
  private readonly file: string;
  private readonly displayFile: string;

  constructor(
    source: SourceDefinition & { options: ReplayOptions },
    private readonly env: ConnectorEnvironment,
    private readonly territory = source.territory,
  ) {
    this.sourceId = source.id;
    this.file = env.resolvePath(source.options.file);
    this.displayFile = source.options.file;
    this.itemsPerSecond = source.options.ratePerSecond === 0 ? undefined : source.options.ratePerSecond;
  }

  initialCursor(): ReplayCursor {
    return { offset: 0, line: 1 };
  }

  async poll(cursor: ReplayCursor, options: PollOptions): Promise<PollResult<ReplayCursor>> {
    let chunk;
    try {
      chunk = await readLines(this.file, cursor.offset, cursor.line, options.limit);
    } catch (e) {
      throw new OtklikError('REPLAY_FILE_UNREADABLE', `cannot read replay file ${this.displayFile}: ${(e as Error).message}`, {
        cause: e,
        details: { file: this.displayFile },
      });
    }
    const capturedAt = this.env.now().toISOString();
    const ctx = { sourceId: this.sourceId, capturedAt, ...(this.territory === undefined ? {} : { territory: this.territory }) };
    const items: PollItem[] = [];
    for (const line of chunk.lines) {
      if (line.text.trim() === '') continue;
      try {
        const post = parseReplayLine(line.text, this.displayFile, line.number, ctx);
        if (post) items.push({ ok: true, post });
      } catch (e) {
        if (!isOtklikError(e)) throw e;
        items.push({ ok: false, ref: `line-${line.number}`, error: toOtklikError(e), raw: line.text });
      }
    }
    return { items, nextCursor: { offset: chunk.nextOffset, line: chunk.nextLine }, more: chunk.more };
  }
}

export const replayConnectorFactory: ConnectorFactory<ReplayOptions> = {
  type: 'replay',
  optionsSchema: replayOptionsSchema,
  create: (source, env) => new ReplayConnector(source, env),
};
