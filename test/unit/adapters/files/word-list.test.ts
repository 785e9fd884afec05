import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadWordList } from '../../../../src/adapters/files/word-list.js';

const dir = mkdtempSync(join(tmpdir(), 'otklik-words-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadWordList', () => {
  it('reads one word a line, plain or gzipped, skipping blank lines and stray spaces', () => {
    writeFileSync(join(dir, 'plain.txt'), 'провел\n  поселк \n\nсветофор\n');
    writeFileSync(join(dir, 'packed.txt.gz'), gzipSync('провел\nпоселк\nсветофор\n'));
    for (const f of ['plain.txt', 'packed.txt.gz']) expect([...loadWordList(join(dir, f))].sort()).toEqual(['поселк', 'провел', 'светофор']);
  });

  it('an unreadable file is a rules error naming it', () => {
    expect(() => loadWordList(join(dir, 'absent.txt.gz'), 'rules/lexicon/absent.txt.gz')).toThrow(expect.objectContaining({ code: 'RULES_INVALID', message: expect.stringContaining('rules/lexicon/absent.txt.gz') }));
    writeFileSync(join(dir, 'broken.txt.gz'), 'not gzip');
    expect(() => loadWordList(join(dir, 'broken.txt.gz'))).toThrow(expect.objectContaining({ code: 'RULES_INVALID' }));
  });
});
