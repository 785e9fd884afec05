import { loadConfig } from './config/config.js';
import { isOtklikError } from './core/errors.js';
import { createLogger } from './log.js';
import { startEngine } from './roles/engine.js';
import { limitHeapGrowth } from './platform/heap.js';

/** Entry point: parse config, start the roles, stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    process.stderr.write(`otklik: ${(e as Error).message}\n`);
    process.exit(2);
  }
  // First, before the heap grows: V8 applies the factor to the limits it computes from now on, and a
  // limit already raised stays until the heap reaches it (set three seconds into the bench, it changed nothing).
  limitHeapGrowth(config.HEAP_GROWTH_PERCENT);
  const pretty = config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === 'auto' && process.stdout.isTTY);
  const log = createLogger(config, undefined, pretty);
  let engine;
  try {
    engine = await startEngine({ config, log });
  } catch (e) {
    const message = isOtklikError(e) ? `${e.code}: ${e.message}` : String(e);
    log.fatal({ err: message }, 'start-up failed');
    process.stderr.write(`otklik: ${message}\n`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing jobs in flight');
    const timer = setTimeout(() => {
      log.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out; unfinished jobs will be retried by the next worker');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    engine
      .stop()
      .then(() => {
        log.info('stopped');
        process.exit(0);
      })
      .catch((e: unknown) => {
        log.error({ err: String(e) }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
