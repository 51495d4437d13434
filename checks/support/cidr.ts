/** An address block from an allow-list, parsed. */
export interface Cidr {
  /** The entry exactly as the provider returned it. */
  readonly text: string;
  readonly family: 4 | 6;
  /** Prefix length; a bare address counts as a single host (`/32`, `/128`). */
  readonly prefix: number;
}

const IPV4_OCTET = /^(?:0|[1-9]\d{0,2})$/;
const IPV6_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const PREFIX = /^(?:0|[1-9]\d{0,2})$/;

function isIpv4(address: string): boolean {
  const octets = address.split('.');
  return octets.length === 4 && octets.every((octet) => IPV4_OCTET.test(octet) && Number(octet) <= 255);
}

function isIpv6(address: string): boolean {
  let hex = address;
  if (address.includes('.')) {
    // An IPv6 address may end in dotted IPv4 (`::ffff:192.0.2.1`), which takes the place of two groups.
    const lastColon = address.lastIndexOf(':');
    if (lastColon < 0 || !isIpv4(address.slice(lastColon + 1))) return false;
    hex = `${address.slice(0, lastColon + 1)}0:0`;
  }
  const halves = hex.split('::');
  if (halves.length > 2) return false;
  const groupsOf = (part: string): string[] => (part === '' ? [] : part.split(':'));
  if (halves.length === 1) {
    const groups = groupsOf(hex);
    return groups.length === 8 && groups.every((group) => IPV6_GROUP.test(group));
  }
  const [head = '', tail = ''] = halves;
  const groups = [...groupsOf(head), ...groupsOf(tail)];
  return groups.length <= 7 && groups.every((group) => IPV6_GROUP.test(group));
}

/**
 * Parses an IPv4 or IPv6 CIDR block (`203.0.113.0/24`, `2001:db8::/32`) or a bare address, which
 * AKS accepts in `authorizedIPRanges`. Undefined for anything else, including surrounding spaces.
 */
export function parseCidr(text: string): Cidr | undefined {
  const parts = text.split('/');
  if (parts.length > 2) return undefined;
  const [address = '', prefixText] = parts;
  const family = isIpv4(address) ? 4 : isIpv6(address) ? 6 : undefined;
  if (family === undefined) return undefined;
  const maxPrefix = family === 4 ? 32 : 128;
  if (prefixText === undefined) return { text, family, prefix: maxPrefix };
  if (!PREFIX.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= maxPrefix ? { text, family, prefix } : undefined;
}
