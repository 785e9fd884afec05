import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { projectRoot } from '../../src/paths.js';

/** Starts the engine as a real separate process (`src/main.ts` through tsx). */
export function spawnEngine(
  env: Record<string, string>,
  opts: { ownGroup?: boolean } = {},
): ChildProcess & { exited: Promise<number | null>; stderrText: () => string; stdoutText: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/main.ts')], {
    // Its own process group, so a test can signal the whole group as systemd does, without hitting vitest.
    detached: opts.ownGroup === true,
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LOG_LEVEL: 'silent',
      EMBEDDED_INDEX_PATH: join(mkdtempSync(join(tmpdir(), 'otklik-index-')), 'index.sqlite'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  return Object.assign(child, { exited, stderrText: () => stderr, stdoutText: () => stdout });
}
