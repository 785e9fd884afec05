import { createReadStream } from 'node:fs';
import type { SaxesParser } from 'saxes';
import { OtklikError } from '../../core/errors.js';

/**
 * Feeds a file through a saxes parser whose handlers are already set, a chunk at a time (the
 * register's and OpenStreetMap's files run to gigabytes: nothing is read whole). The first parse
 * error stops the reading and comes back as RULES_INVALID naming the file and what it should be.
 */
export async function streamXml(path: string, parser: SaxesParser, what: string): Promise<void> {
  let failure: Error | undefined;
  parser.on('error', (e) => {
    failure ??= e;
  });
  for await (const chunk of createReadStream(path, { encoding: 'utf8' })) {
    parser.write(chunk as string);
    if (failure) break;
  }
  if (!failure) parser.close();
  if (failure) throw new OtklikError('RULES_INVALID', `${path}: not ${what} file: ${failure.message}`, { details: { file: path } });
}
