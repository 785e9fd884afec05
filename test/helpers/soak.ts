/**
 * Fault tests run small in the default test command and at full size with FAULT_SOAK=1 (an
 * outage of a minute instead of seconds, a bigger burst): the same scenario, a different length.
 */
export function soakSeconds(ci: number, full: number): number {
  return process.env.FAULT_SOAK === '1' ? full : ci;
}
