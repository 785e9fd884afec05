import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnEngine } from '../../helpers/process.js';

describe('start-up refuses bad configuration with one clear message', () => {
  it('lists every invalid variable and exits non-zero', async () => {
    const child = spawnEngine({ ENGINE_ROLE: 'boss', HTTP_PORT: 'x', PIPELINE_BATCH_SIZE: '0' });
    expect(await child.exited).toBe(2);
    const err = child.stderrText();
    expect(err).toMatch(/^otklik: Invalid configuration:/);
    for (const key of ['ENGINE_ROLE', 'HTTP_PORT', 'PIPELINE_BATCH_SIZE']) expect(err).toContain(key);
  });

  it('names the file, the entry and the unknown source type', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otklik-src-'));
    const file = join(dir, 'sources.json');
    writeFileSync(file, JSON.stringify({ sources: [{ id: 'city', type: 'myspace', options: {} }] }));
    const child = spawnEngine({ SOURCES_FILE: file, REDIS_URL: 'redis://127.0.0.1:1', HTTP_PORT: '0' });
    expect(await child.exited).toBe(1);
    expect(child.stderrText()).toContain(`SOURCE_UNKNOWN_TYPE: Invalid sources:\n  - ${file}: sources[0] (city): unknown source type "myspace"`);
  });

  it('a split role without REDIS_URL says why it cannot start', async () => {
    const child = spawnEngine({ ENGINE_ROLE: 'worker' });
    expect(await child.exited).toBe(1);
    expect(child.stderrText()).toContain('ENGINE_ROLE=worker shares Redis with other processes: set REDIS_URL');
  });
});
