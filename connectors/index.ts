import type { ConnectorFactory } from '../src/connector/connector.js';
import { replayConnectorFactory } from './replay/replay.connector.js';
import { telegramConnectorFactory } from './telegram/telegram.connector.js';
import { vkWallConnectorFactory } from './vk/vk-wall.connector.js';
import { vkSearchConnectorFactory } from './vk/vk-search.connector.js';
import { okGroupConnectorFactory } from './ok/ok-group.connector.js';
import { telegramWebConnectorFactory } from './telegram/telegram-web.connector.js';
import { telegramMtprotoConnectorFactory } from './telegram-mtproto/telegram-mtproto.connector.js';

/**
 * The connectors this build ships. A new platform is a new folder here plus one line in this list;
 * the engine core never imports a connector.
 */
export const connectorFactories: readonly ConnectorFactory[] = [replayConnectorFactory, telegramConnectorFactory, vkWallConnectorFactory, vkSearchConnectorFactory, okGroupConnectorFactory, telegramWebConnectorFactory, telegramMtprotoConnectorFactory];
