import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { projectRoot } from '../../src/paths.js';

/** Starts the engine as a real separate process (`src/main.ts` through tsx). */
export function spawnEngine(env: Record<string, string>): ChildProcess & { exited: Promise<number | null>; stderrText: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/main.ts')], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LOG_LEVEL: 'silent',
      EMBEDDED_INDEX_PATH: join(mkdtempSync(join(tmpdir(), 'otklik-index-')), 'index.sqlite'),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  return Object.assign(child, { exited, stderrText: () => stderr });
}
