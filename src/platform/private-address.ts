import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';

/**
 * Addresses inside the machine or its network (loopback, private, link-local with cloud metadata,
 * carrier-grade NAT, unspecified, unique-local): a webhook pointed there would let an admin's typo
 * or a stolen admin account reach Redis or a metadata service from the engine.
 */
const internal = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) internal.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10]] as const) internal.addSubnet(net, bits, 'ipv6');

export function isInternalAddress(address: string): boolean {
  const v = isIP(address);
  if (v === 4) return internal.check(address, 'ipv4');
  if (v === 6) {
    // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is the IPv4 address.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    return mapped ? internal.check(mapped, 'ipv4') : internal.check(address, 'ipv6');
  }
  return false;
}

/** Why this URL's host is internal by its name alone (an address or localhost), or undefined. */
export function internalHostProblem(url: string): string | undefined {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return `${host} is this machine`;
  return isInternalAddress(host) ? `${host} is an internal address` : undefined;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A DNS lookup for outgoing connections that refuses internal addresses, so a public name that
 * resolves inside (or is re-pointed there after it was checked) is refused at connect time.
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, list) => {
    if (err) return callback(err, []);
    const bad = list.find((a) => isInternalAddress(a.address));
    if (bad) {
      const e: NodeJS.ErrnoException = new Error(`${hostname} resolves to an internal address (${bad.address})`);
      e.code = 'EINTERNAL';
      return callback(e, []);
    }
    if (options.all === true) return callback(null, list);
    const first = list[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}
