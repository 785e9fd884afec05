import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnEngine } from '../../helpers/process.js';
import { freePort } from '../../../src/adapters/redis/redis-server.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the engine with its private Redis, signalled as a process group', () => {
  it('SIGTERM to the whole group (systemd, containers): Redis outlives the drain and is stopped last, with no connection errors', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'otklik-group-'));
    const child = spawnEngine({ ENGINE_ROLE: 'all', HTTP_PORT: String(await freePort()), REDIS_DATA_DIR: dataDir, LOG_LEVEL: 'info' }, { ownGroup: true });
    try {
      for (let i = 0; i < 600 && !child.stdoutText().includes('API listening'); i++) await sleep(50);
      expect(child.stdoutText()).toContain('API listening');
      const redisPid = Number(readFileSync(join(dataDir, 'redis.pid'), 'utf8').trim());
      expect(alive(redisPid)).toBe(true);
      // What the service manager does: every process of the engine's group gets SIGTERM at once.
      process.kill(-(child.pid ?? 0), 'SIGTERM');
      expect(await child.exited).toBe(0);
      const log = child.stdoutText();
      expect(log).toContain('private redis-server stopped');
      expect(log).not.toMatch(/redis connection error|ECONNREFUSED/);
      expect(alive(redisPid)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
