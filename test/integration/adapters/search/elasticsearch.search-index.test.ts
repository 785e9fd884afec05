import { describe } from 'vitest';
import { randomUUID } from 'node:crypto';
import { ElasticsearchSearchIndex } from '../../../../src/adapters/search/elasticsearch/elasticsearch.search-index.js';
import { searchConformance } from '../../../helpers/search-conformance.js';

// Runs only against a real cluster: ELASTICSEARCH_URL=http://localhost:9200 npm test
// (docker compose up -d elasticsearch gives one). Each run uses its own name prefix.
const url = process.env.ELASTICSEARCH_URL;

describe.runIf(Boolean(url))('Elasticsearch (real cluster)', () => {
  searchConformance(
    'elasticsearch',
    async () => {
      const es = new ElasticsearchSearchIndex({ nodes: [url ?? ''], requestTimeoutMs: 30_000, replicas: 0, retentionDays: 30, prefix: `otklik-test-${randomUUID().slice(0, 8)}-` });
      await es.bootstrap();
      return es;
    },
    async (index) => (index as ElasticsearchSearchIndex).refresh(),
  );
});
