#!/usr/bin/env node
// Makes sure the machine can run the engine on embedded defaults: the npm packages and a
// redis-server binary. Installs what is missing (npm ci; apt-get as root or brew for Redis);
// otherwise explains in one line what to do. Plain Node, no dependencies: it runs before npm ci.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const quiet = process.argv.includes('--quiet');
const say = (m) => { if (!quiet) process.stdout.write(`setup: ${m}\n`); };
const bin = process.env.REDIS_SERVER_BIN || 'redis-server';
const has = (cmd, args = ['--version']) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  process.stdout.write('setup: installing npm packages (npm ci)\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  if (spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' }).status !== 0) {
    process.stderr.write('setup: npm ci failed; see above\n');
    process.exit(1);
  }
}

if (process.env.REDIS_URL) {
  say('REDIS_URL is set: using that Redis, nothing to install');
  process.exit(0);
}
if (has(bin)) {
  say(`${bin} found`);
  process.exit(0);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (process.platform === 'linux' && has('apt-get', ['--version'])) {
  if (!isRoot) {
    process.stderr.write('setup: redis-server is missing: run "sudo apt-get install -y redis-server" (or set REDIS_URL to an existing Redis)\n');
    process.exit(1);
  }
  process.stdout.write('setup: installing redis-server with apt-get\n');
  if (run('apt-get', ['update', '-qq']) && run('apt-get', ['install', '-y', '-qq', 'redis-server']) && has(bin)) process.exit(0);
  process.stderr.write('setup: apt-get could not install redis-server; install it by hand or set REDIS_URL\n');
  process.exit(1);
}
if (process.platform === 'darwin' && has('brew', ['--version'])) {
  process.stdout.write('setup: installing redis with brew\n');
  if (run('brew', ['install', 'redis']) && has(bin)) process.exit(0);
}
process.stderr.write('setup: redis-server is missing: install Redis 6.2 or newer (https://redis.io/docs/latest/operate/oss_and_stack/install/) or set REDIS_URL\n');
process.exit(1);
