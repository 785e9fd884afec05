/**
 * Writes rules/lexicon/ru-stems.txt.gz: the stems of correctly spelt Russian words, which the typo
 * mender leaves alone ("провели" is no misspelt "просели", "поселки" no misspelt "проселки").
 *
 *   npm run lexicon
 *
 * Every word form of the LibreOffice Russian spelling dictionary (npm `dictionary-ru`, BSD-3-Clause,
 * © Alexander I. Lebedev), expanded by its affix rules with `hunspell-reader` (MIT), folded as the
 * classifier folds tokens (lower case, ё → е), kept when the mender would look at it (at least
 * MIN_TOKEN letters, Cyrillic letters only), stemmed with the engine's stemmer, one stem a line,
 * sorted, gzipped. Deterministic: the same packages give the same file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { HunspellReader } from 'hunspell-reader';
import { stemWord } from '../src/core/search/analyze.js';
import { MIN_TOKEN } from '../src/core/classify/typos.js';
import { resolveProjectPath } from '../src/paths.js';

// The package exports only its loader; its files lie beside it.
const dictionary = dirname(fileURLToPath(import.meta.resolve('dictionary-ru')));
const reader = await HunspellReader.createFromFiles(`${dictionary}/index.aff`, `${dictionary}/index.dic`);
const LETTERS = /^[а-я]+$/u;
const stems = new Set<string>();
let forms = 0;
for (const form of reader.iterateWords()) {
  const folded = form.toLowerCase().replaceAll('ё', 'е');
  if (folded.length < MIN_TOKEN || !LETTERS.test(folded)) continue;
  forms++;
  stems.add(stemWord(folded));
}
const out = resolveProjectPath('rules/lexicon/ru-stems.txt.gz');
mkdirSync(dirname(out), { recursive: true });
// mtime 0 in the gzip header keeps the file byte-identical between runs.
writeFileSync(out, gzipSync([...stems].sort().join('\n') + '\n', { level: 9 }));
process.stdout.write(`${stems.size} stems of the ${forms} word forms read (≥ ${MIN_TOKEN} letters) → ${out}\n`);
