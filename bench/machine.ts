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

/**
 * How fast this machine is right now, in milliseconds for a fixed memory-bound loop (random reads
 * of a 128 MB array and string-keyed map lookups, the kind of work classification and SQLite do).
 * A shared virtual machine swings: on the one these figures come from, four times this loop's
 * random reads took 1.19 s one hour and 1.46 s the next (an arithmetic loop did not move), and
 * classification moved between 10,000 and 20,000 posts/s with it. Printed before and after the
 * benchmarks, so two runs can be compared for the machine's state.
 */
export function machineReferenceMs(): number {
  const started = performance.now();
  const n = 16_000_000;
  const a = new Float64Array(n);
  let x = 0;
  for (let i = 0; i < n; i++) x += a[(i * 7919) % n] as number;
  const m = new Map<string, number>();
  for (let i = 0; i < 100_000; i++) m.set(`k${i}`, i);
  for (let r = 0; r < 10; r++) for (let i = 0; i < 100_000; i++) x += m.get(`k${(i * 31) % 100_000}`) ?? 0;
  // x is read so the loops are not optimised away.
  return Math.round(performance.now() - started + (x === -1 ? 1 : 0));
}
