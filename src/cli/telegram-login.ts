/**
 * Signs a Telegram user account in over MTProto and prints its session string, for
 * `telegram-mtproto` sources (TELEGRAM_SESSION). Asks for the phone number, the code Telegram
 * sends, and the two-step password if the account has one; nothing is written anywhere.
 *
 *   TELEGRAM_API_ID=… TELEGRAM_API_HASH=… npm run -s telegram:login
 *
 * The session string is the account: whoever holds it reads as that account. Keep it with the
 * other secrets, and end it from Telegram (Settings → Devices) when the engine stops using it.
 */
import { stdin, stderr, stdout } from 'node:process';
import { createInterface } from 'node:readline/promises';
import { TelegramClient, sessions } from 'telegram';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { loadConfig } from '../config/config.js';

const config = loadConfig(process.env);
const apiId = Number(config.TELEGRAM_API_ID);
if (!Number.isInteger(apiId) || apiId <= 0 || !config.TELEGRAM_API_HASH) {
  stderr.write('telegram:login needs TELEGRAM_API_ID and TELEGRAM_API_HASH (an application at https://my.telegram.org)\n');
  process.exit(2);
}
// Prompts go to stderr, so stdout carries the session string alone.
const rl = createInterface({ input: stdin, output: stderr });
const client = new TelegramClient(new sessions.StringSession(''), apiId, config.TELEGRAM_API_HASH, { connectionRetries: 3, baseLogger: new Logger(LogLevel.NONE) });
try {
  await client.start({
    phoneNumber: () => rl.question('Номер телефона аккаунта (+7…): '),
    phoneCode: () => rl.question('Код из Telegram: '),
    password: () => rl.question('Пароль двухэтапной проверки (если есть): '),
    onError: (e) => {
      stderr.write(`Telegram: ${e.message}\n`);
    },
  });
  stdout.write(`${String(client.session.save())}\n`);
  stderr.write('Готово: строка выше — TELEGRAM_SESSION. Храните её как пароль.\n');
} finally {
  rl.close();
  await client.disconnect();
}
