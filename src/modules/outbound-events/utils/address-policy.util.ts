import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

// Why outbound events may not go to this IP address, or null for a public unicast address. ipaddr.js
// classifies; IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it carries, and every
// range other than plain unicast (loopback, private, link-local incl. 169.254.169.254, CGNAT, multicast,
// broadcast, reserved, 6to4/NAT64/Teredo that embed IPv4, unique-local, unspecified) is refused.
export function forbiddenAddressReason(address: string): string | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return 'is not an IP address';
  }
  const range = ip.range();
  return range === 'unicast' ? null : `resolves to a ${range} address (${ip.toString()})`;
}

// The URL's host when it is an IP literal. The WHATWG parser has already turned 0x7f000001, 2130706433,
// 0177.0.0.1 and 127.1 into 127.0.0.1, so only canonical forms reach the classifier.
export function literalAddress(hostname: string): string | null {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return isIP(bare) ? bare : null;
}

export function hostProblem(hostname: string): string | null {
  const literal = literalAddress(hostname);
  if (literal) return forbiddenAddressReason(literal);
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return 'resolves to a loopback address';
  return null;
}

// DNS answers for a host name, each judged; a name that does not resolve (yet) is not refused here:
// the check at connect time (below) still applies to every delivery.
export function resolvedHostProblem(hostname: string): Promise<string | null> {
  const direct = hostProblem(hostname);
  if (direct || literalAddress(hostname)) return Promise.resolve(direct);
  return new Promise((resolve) => {
    dnsLookup(hostname, { all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return resolve(null);
      const bad = addresses.map((a) => forbiddenAddressReason(a.address)).find((r) => r !== null);
      resolve(bad ?? null);
    });
  });
}

export class ForbiddenAddressError extends Error {
  readonly code = 'EADDRFORBIDDEN';
}

// A socket lookup that refuses forbidden answers at connect time, so a name that resolved to a public
// address when the endpoint was created and to 127.0.0.1 now (DNS rebinding) is still refused.
export const safeLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const reason = addresses.map((a) => forbiddenAddressReason(a.address)).find((r) => r !== null);
    if (reason) return callback(new ForbiddenAddressError(`refused: ${hostname} ${reason}`), '', 0);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};
