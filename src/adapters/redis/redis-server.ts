import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { OtklikError } from '../../core/errors.js';

export interface PrivateRedisOptions {
  /** The `redis-server` binary (a name on PATH or a path). */
  bin: string;
  dataDir: string;
  appendfsync: 'always' | 'everysec' | 'no';
  /** Port to listen on; 0 picks a free one. */
  port?: number;
}

export interface PrivateRedis {
  url: string;
  port: number;
  pid: number;
  dataDir: string;
  /** Graceful shutdown: Redis flushes its AOF and exits. */
  stop(): Promise<void>;
  /** Sudden death, for fault tests. */
  kill(): Promise<void>;
}

export const REDIS_INSTALL_HINT =
  'redis-server not found: run "npm run setup" (installs it with apt-get as root or brew on macOS), or install Redis ≥ 6.2 yourself, or set REDIS_URL';

export function redisBinaryAvailable(bin: string): boolean {
  const r = spawnSync(bin, ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A Redis left running by a crashed engine still owns the data directory: stop it first. */
async function stopLeftover(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  let cmd = '';
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return; // not Linux or not ours to judge: leave it alone
  }
  if (!cmd.includes('redis-server')) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(50);
}

/**
 * Starts a private `redis-server` child: AOF on, `noeviction` (BullMQ needs it), loopback only,
 * data under `dataDir`. Used by `npm start` when no REDIS_URL is given, and by the tests.
 */
export async function startPrivateRedis(opts: PrivateRedisOptions): Promise<PrivateRedis> {
  if (!redisBinaryAvailable(opts.bin)) throw new OtklikError('REDIS_BINARY_MISSING', REDIS_INSTALL_HINT);
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const pidFile = join(dataDir, 'redis.pid');
  await stopLeftover(pidFile);
  const port = opts.port && opts.port > 0 ? opts.port : await freePort();
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dataDir,
    '--pidfile', pidFile,
    '--appendonly', 'yes',
    '--appendfsync', opts.appendfsync,
    '--maxmemory-policy', 'noeviction',
    '--save', '',
    '--daemonize', 'no',
    '--protected-mode', 'yes',
    '--logfile', join(dataDir, 'redis.log'),
  ];
  // A process group of its own: a SIGTERM to the engine's group (systemd, container runtimes) must not
  // stop Redis under the engine's feet; the engine stops it last, after the workers drained.
  const child: ChildProcess = spawn(opts.bin, args, { stdio: 'ignore', detached: true });
  let exited = false;
  let exitCode: number | null = null;
  const exitPromise = new Promise<void>((res) =>
    child.once('exit', (code) => {
      exited = true;
      exitCode = code;
      res();
    }),
  );
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    for (let i = 0; ; i++) {
      if (exited) {
        throw new OtklikError('REDIS_START_FAILED', `redis-server exited with code ${String(exitCode)} at start; see ${join(dataDir, 'redis.log')}`);
      }
      try {
        if (probe.status !== 'ready') await probe.connect();
        // While loading a large AOF Redis answers LOADING: wait for it.
        if ((await probe.ping()) === 'PONG') break;
      } catch {
        probe.disconnect();
      }
      if (i > 600) {
        child.kill('SIGKILL');
        throw new OtklikError('REDIS_START_FAILED', `redis-server on port ${port} did not answer within 30 s`);
      }
      await sleep(50);
    }
  } finally {
    probe.disconnect();
  }
  const stop = async (signal: NodeJS.Signals) => {
    if (exited) return;
    child.kill(signal);
    await exitPromise;
  };
  return {
    url,
    port,
    pid: child.pid ?? -1,
    dataDir,
    stop: () => stop('SIGTERM'),
    kill: () => stop('SIGKILL'),
  };
}
