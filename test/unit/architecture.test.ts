import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

// The rules `npm run lint` checks the import direction with (.dependency-cruiser.cjs).
const rules = createRequire(import.meta.url)('../../.dependency-cruiser.cjs') as { forbidden: unknown[] };

/** Cruises a small tree laid out like the project's, with the project's rules. */
async function violations(files: Record<string, string>): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'otklik-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  // The project resolves as TypeScript does (imports name `.js`, the sources are `.ts`).
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true }, include: ['src', 'connectors'] }));
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const dirs = ['src', 'connectors'].filter((d) => Object.keys(files).some((f) => f.startsWith(`${d}/`)));
    const tsConfig = extractTSConfig(join(root, 'tsconfig.json'));
    const r = await cruise(dirs, { ruleSet: { forbidden: rules.forbidden } as never, validate: true, tsPreCompilationDeps: true, tsConfig: { fileName: 'tsconfig.json' }, enhancedResolveOptions: { extensions: ['.ts', '.js'] } }, {}, { tsConfig });
    const output = r.output as ICruiseResult;
    return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
  } finally {
    process.chdir(cwd);
  }
}

describe('the import direction (npm run lint)', () => {
  it('passes a tree that keeps it: adapters implement ports, the application uses them, roles compose', async () => {
    expect(
      await violations({
        'src/core/post.ts': 'export interface Post { id: string }\n',
        'src/ports/store.ts': "import type { Post } from '../core/post.js';\nexport interface Store { get(id: string): Promise<Post> }\n",
        'src/adapters/redis/store.ts': "import type { Store } from '../../ports/store.js';\nexport class RedisStore implements Store { async get(id: string) { return { id }; } }\n",
        'src/incidents/service.ts': "import type { Store } from '../ports/store.js';\nexport class Service { constructor(readonly s: Store) {} }\n",
        'src/pipeline/route.ts': "import type { Service } from '../incidents/service.js';\nexport const route = (s: Service) => s;\n",
        'src/roles/engine.ts': "import { RedisStore } from '../adapters/redis/store.js';\nimport { Service } from '../incidents/service.js';\nexport const e = new Service(new RedisStore());\n",
      }),
    ).toEqual([]);
  });

  it('fails on an import against the direction', async () => {
    const found = await violations({
      'src/core/post.ts': "import { RedisStore } from '../adapters/redis/store.js';\nexport const p = RedisStore;\n",
      'src/adapters/redis/store.ts': "import { Service } from '../../incidents/service.js';\nexport class RedisStore { s = Service; }\n",
      'src/incidents/service.ts': "import { route } from '../pipeline/route.js';\nexport class Service { r = route; }\n",
      'src/pipeline/route.ts': 'export const route = 1;\n',
      'src/api/app.ts': "import { RedisStore } from '../adapters/redis/store.js';\nexport const a = RedisStore;\n",
      'connectors/vk/vk.ts': "import { Service } from '../../src/incidents/service.js';\nexport const v = Service;\n",
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'core-is-pure: src/core/post.ts → src/adapters/redis/store.ts',
        'adapters-implement-ports: src/adapters/redis/store.ts → src/incidents/service.ts',
        'incidents-before-pipeline: src/incidents/service.ts → src/pipeline/route.ts',
        'api-uses-services-and-ports: src/api/app.ts → src/adapters/redis/store.ts',
        'connectors-use-the-kit: connectors/vk/vk.ts → src/incidents/service.ts',
      ]),
    );
  });

  it('fails on a cycle', async () => {
    const found = await violations({
      'src/core/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'src/core/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    });
    expect(found.some((v) => v.startsWith('no-cycles: src/core/a.ts'))).toBe(true);
  });
});
