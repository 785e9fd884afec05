import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { hasPlatformTokens, type Config } from '../config/config.js';
import type { Connector, SourceDefinition } from '../connector/connector.js';
import { ConnectorRegistry, parseSourcesFile } from '../connector/registry.js';
import { TokenRateLimiters } from '../connector/rate-limiter.js';
import type { BotUpdateHub } from '../connector/bot-update-hub.js';
import { OtklikError } from '../core/errors.js';
import { connectorFactories } from '../../connectors/index.js';
import { resolveProjectPath } from '../paths.js';
import type { ScheduledSource } from '../pipeline/poll-runner.js';

export const DEMO_SOURCE_ID = 'demo';
export const DEFAULT_SOURCES_FILE = 'rules/sources.json';

/** The source used when nothing else is configured: the shipped demo corpus, replayed. */
export function demoSource(config: Config): SourceDefinition {
  return {
    id: DEMO_SOURCE_ID,
    type: 'replay',
    territory: 'г. Энск',
    options: { file: config.DEMO_CORPUS, ratePerSecond: config.DEMO_RATE_PER_S },
  };
}

/** Reads the configured sources (or picks the demo corpus) and builds their connectors. */
export function loadSources(config: Config, log: Logger, http?: Dispatcher, botUpdates?: BotUpdateHub): Map<string, ScheduledSource> {
  let defs: SourceDefinition[];
  let origin: string;
  // With platform credentials and no file named, the shipped rules/sources.json is the list.
  const file = config.SOURCES_FILE ?? (hasPlatformTokens(config) ? DEFAULT_SOURCES_FILE : undefined);
  if (file) {
    origin = file;
    let text: string;
    try {
      text = readFileSync(resolveProjectPath(file), 'utf8');
    } catch (e) {
      throw new OtklikError('SOURCE_CONFIG_INVALID', `${origin}: cannot read: ${(e as Error).message}`, { details: { origin } });
    }
    defs = parseSourcesFile(text, origin);
  } else {
    origin = 'demo';
    defs = [demoSource(config)];
    log.info(
      { file: config.DEMO_CORPUS, ratePerSecond: config.DEMO_RATE_PER_S },
      'no platform tokens and no SOURCES_FILE configured: replaying the demo corpus',
    );
  }
  const registry = new ConnectorRegistry(connectorFactories);
  const secrets: Record<string, string | undefined> = {
    VK_TOKEN: config.VK_TOKEN,
    OK_ACCESS_TOKEN: config.OK_ACCESS_TOKEN,
    OK_APPLICATION_KEY: config.OK_APPLICATION_KEY,
    OK_APPLICATION_SECRET_KEY: config.OK_APPLICATION_SECRET_KEY,
    TELEGRAM_BOT_TOKEN: config.TELEGRAM_BOT_TOKEN,
    TELEGRAM_API_ID: config.TELEGRAM_API_ID,
    TELEGRAM_API_HASH: config.TELEGRAM_API_HASH,
    TELEGRAM_SESSION: config.TELEGRAM_SESSION,
  };
  const env = { resolvePath: resolveProjectPath, now: () => new Date(), secret: (name: string) => secrets[name] ?? config.REPLY_CREDENTIALS[name], limiter: new TokenRateLimiters(), ...(http ? { http } : {}), ...(botUpdates ? { botUpdates } : {}) };
  const connectors: Connector[] = registry.build(defs, env, origin);
  const out = new Map<string, ScheduledSource>();
  connectors.forEach((connector, i) => {
    const alerts = defs[i]?.alerts;
    out.set(connector.sourceId, { connector, intervalMs: defs[i]?.pollIntervalMs ?? config.POLL_INTERVAL_MS, ...(alerts ? { alerts } : {}) });
  });
  return out;
}
