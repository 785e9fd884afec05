import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { OtklikError } from '../../core/errors.js';

/**
 * Loads a list of words, one a line (gzipped when the name ends in `.gz`): rules/lexicon's known
 * stems. An unreadable file stops loading with an error that names it.
 */
export function loadWordList(path: string, displayName = path): Set<string> {
  let text: string;
  try {
    const bytes = readFileSync(path);
    text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (e) {
    throw new OtklikError('RULES_INVALID', `${displayName}: cannot read: ${(e as Error).message}`, { details: { file: displayName } });
  }
  const words = new Set<string>();
  for (const line of text.split('\n')) {
    const word = line.trim();
    if (word !== '') words.add(word);
  }
  return words;
}
