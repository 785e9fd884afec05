import { open } from 'node:fs/promises';

export interface Line {
  /** 1-based line number in the file. */
  number: number;
  text: string;
}

export interface LineChunk {
  lines: Line[];
  /** Byte offset just past the last complete line returned. */
  nextOffset: number;
  nextLine: number;
  /** True when the file has bytes past `nextOffset` (possibly an unterminated last line). */
  more: boolean;
}

const CHUNK = 256 * 1024;

/**
 * Reads up to `max` complete lines starting at a byte offset. A final line without a newline is
 * returned only at end of file, so a file still being appended to is never read half-written.
 */
export async function readLines(path: string, offset: number, firstLine: number, max: number): Promise<LineChunk> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const lines: Line[] = [];
    let pos = offset;
    let lineNo = firstLine;
    let pending = Buffer.alloc(0);
    let pendingStart = offset;
    while (lines.length < max && pos < size) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, size - pos));
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      let data = pending.length > 0 ? Buffer.concat([pending, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
      let start = 0;
      let nl = data.indexOf(0x0a, start);
      while (nl !== -1 && lines.length < max) {
        const end = nl > start && data[nl - 1] === 0x0d ? nl - 1 : nl;
        lines.push({ number: lineNo++, text: data.toString('utf8', start, end) });
        start = nl + 1;
        nl = data.indexOf(0x0a, start);
      }
      pendingStart += start;
      data = data.subarray(start);
      pending = Buffer.from(data);
    }
    let nextOffset = pendingStart;
    // An unterminated final line counts once the whole file has been read.
    if (lines.length < max && pos >= size && pending.length > 0) {
      lines.push({ number: lineNo++, text: pending.toString('utf8').replace(/\r$/, '') });
      nextOffset = size;
    }
    return { lines, nextOffset, nextLine: lineNo, more: nextOffset < size };
  } finally {
    await fh.close();
  }
}
