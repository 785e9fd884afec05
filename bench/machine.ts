import { cpus, totalmem, platform, release } from 'node:os';

/** The machine a figure was measured on, printed with every benchmark. */
export function machine(): { cpu: string; cores: number; memory_gb: number; node: string; os: string } {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${platform()} ${release()}`,
  };
}
