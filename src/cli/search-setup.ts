/**
 * `npm run search:setup`: prepares the search backend (Elasticsearch templates, ILM policy, first
 * indices) and, with KIBANA_URL, imports the dashboards. Idempotent; the compose setup service runs it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/config.js';
import { isOtklikError } from '../core/errors.js';
import { searchFor } from '../roles/engine.js';
import { ElasticsearchSearchIndex } from '../adapters/search/elasticsearch/elasticsearch.search-index.js';
import { importSavedObjects, waitForKibana } from '../adapters/kibana/saved-objects.js';
import { projectRoot } from '../paths.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const search = searchFor(config);
  try {
    if (search instanceof ElasticsearchSearchIndex) {
      await search.bootstrap();
      process.stdout.write(`search:setup: Elasticsearch templates, policy and indices are in place (prefix "${config.ES_INDEX_PREFIX}")\n`);
      const at = process.argv.indexOf('--reindex-incidents');
      if (at !== -1) {
        const version = Number(process.argv[at + 1]);
        if (!Number.isInteger(version) || version < 2) throw new Error('--reindex-incidents takes the new version number (2 or more)');
        const r = await search.reindexIncidents(version);
        process.stdout.write(`search:setup: incidents moved from ${r.from} to ${r.to} (${r.copied} documents copied), alias swapped, ${r.removed} deleted\n`);
      }
    } else {
      process.stdout.write(`search:setup: backend is ${search.backend}; nothing to prepare\n`);
    }
  } finally {
    await search.close();
  }
  if (config.KIBANA_URL) {
    const kibana = { url: config.KIBANA_URL, timeoutMs: 30_000, ...(config.KIBANA_API_KEY ? { apiKey: config.KIBANA_API_KEY } : {}) };
    await waitForKibana(kibana);
    const dir = join(projectRoot, 'dashboards');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ndjson')).sort()) {
      const n = await importSavedObjects(kibana, file, readFileSync(join(dir, file), 'utf8'));
      process.stdout.write(`search:setup: imported ${file} (${n} objects)\n`);
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`search:setup: ${isOtklikError(e) ? `${e.code}: ${e.message}` : String(e)}\n`);
  process.exit(1);
});
