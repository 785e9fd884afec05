import { describe, expect, it } from 'vitest';
import { internalHostProblem, isInternalAddress, publicOnlyLookup } from '../../../src/platform/private-address.js';

describe('internal addresses', () => {
  it('loopback, private, link-local (cloud metadata), CGNAT, unspecified and unique-local are internal; public ones are not', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1']) expect(isInternalAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '172.32.0.1', '95.213.11.1', '2a00:1450:4010::65', 'example.org']) expect(isInternalAddress(a), a).toBe(false);
  });

  it('a URL names an internal host by address or as localhost', () => {
    expect(internalHostProblem('http://127.0.0.1:6379/')).toMatch(/internal address/);
    expect(internalHostProblem('http://[::1]:8080/hook')).toMatch(/internal address/);
    expect(internalHostProblem('http://localhost/hook')).toMatch(/this machine/);
    expect(internalHostProblem('https://hooks.example.org/x')).toBeUndefined();
  });

  it('a name that resolves inside is refused at connect time', async () => {
    // "localhost" resolves to loopback everywhere, with no network needed.
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => publicOnlyLookup('localhost', {}, (e) => resolve(e)));
    expect(err).toMatchObject({ code: 'EINTERNAL' });
  });
});
