import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { SaxesParser } from 'saxes';
import { streamXml } from '../../../../src/adapters/files/xml-stream.js';

describe('streaming an XML file', () => {
  const file = (text: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'otklik-xml-')), 'data.xml');
    writeFileSync(path, text);
    return path;
  };

  it('hands every element to the parser\'s handlers', async () => {
    const parser = new SaxesParser();
    const seen: string[] = [];
    parser.on('opentag', (t) => seen.push(t.name));
    await streamXml(file('<a><b/><c>текст</c></a>'), parser, 'a test');
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('a broken file is RULES_INVALID, naming the file and what it should have been', async () => {
    const path = file('<a><b x="1" </a>');
    await expect(streamXml(path, new SaxesParser(), 'a test XML')).rejects.toMatchObject({ code: 'RULES_INVALID', message: expect.stringMatching(new RegExp(`^${path.replaceAll('/', '\\/')}: not a test XML file: `)) });
  });
});
