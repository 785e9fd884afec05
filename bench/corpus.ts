import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Json = Record<string, unknown>;

/** Copy k of a demo line: every platform id shifted so the copy is a different post. */
function shift(line: string, k: number): string {
  if (k === 0) return line;
  let l: Json;
  try {
    l = JSON.parse(line) as Json;
  } catch {
    return line; // the deliberately broken lines stay broken
  }
  const item = l.item as Json | undefined;
  if (!item) return line;
  const off = k * 10_000_000;
  if (l.platform === 'vk') {
    if (typeof item.id === 'number') item.id += off;
    if (typeof item.post_id === 'number') item.post_id += off;
  } else if (l.platform === 'ok') {
    if (l.kind === 'post' && typeof item.id === 'string') item.id = String(BigInt(item.id) + BigInt(off));
    if (l.kind === 'comment') {
      item.id = `${String(item.id)}-${k}`;
      const topic = l.topic as Json;
      topic.id = String(BigInt(String(topic.id)) + BigInt(off));
    }
  } else if (l.platform === 'tg') {
    for (const key of ['message', 'channel_post', 'edited_message', 'edited_channel_post']) {
      const m = item[key] as Json | undefined;
      if (m && typeof m.message_id === 'number' && m.message_id > 0) m.message_id += off;
      if (m && typeof m.message_thread_id === 'number') m.message_thread_id += off;
    }
    if (typeof item.update_id === 'number') item.update_id += off;
  }
  return JSON.stringify(l);
}

/** The demo corpus repeated `copies` times with distinct ids, written to a temporary file. */
export function scaledCorpus(demoPath: string, copies: number): { path: string; lines: number } {
  const base = readFileSync(demoPath, 'utf8').split('\n').filter((x) => x.trim() !== '');
  const out: string[] = [];
  for (let k = 0; k < copies; k++) for (const line of base) out.push(shift(line, k));
  const path = join(mkdtempSync(join(tmpdir(), 'otklik-bench-')), 'corpus.jsonl');
  writeFileSync(path, out.join('\n') + '\n');
  return { path, lines: out.length };
}
