/**
 * Writes moderators' topic decisions (accepted and reclassified incidents, the latest per incident)
 * as JSONL labelled posts to stdout, for `npm run train -- --labels <file>`.
 *
 *   npm run -s labels:export > decisions.jsonl
 *
 * Reads REDIS_URL and QUEUE_PREFIX like the engine.
 */
import { Redis } from 'ioredis';
import { loadConfig } from '../config/config.js';
import { RedisKeys } from '../adapters/redis/keys.js';
import { LabelStore } from '../adapters/redis/label.store.js';

const config = loadConfig(process.env);
if (!config.REDIS_URL) {
  process.stderr.write('labels:export needs REDIS_URL (the engine\'s Redis)\n');
  process.exit(2);
}
const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
try {
  await redis.connect();
  const labels = await new LabelStore(redis, new RedisKeys(config.QUEUE_PREFIX)).export();
  for (const l of labels) process.stdout.write(JSON.stringify(l) + '\n');
  process.stderr.write(`${labels.length} decisions exported\n`);
} finally {
  redis.disconnect();
}
