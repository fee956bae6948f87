// Hosts a transform never fetches, whatever the allow-list says. Workers cannot resolve DNS, so this judges the
// host as written, after the WHATWG URL parser has normalized it: decimal, octal and hex IPv4 forms
// (`2130706433`, `0177.0.0.1`, `0x7f.1`) are already dotted quads, IPv6 is compressed lowercase in brackets and
// IPv4-mapped IPv6 is hex (`[::ffff:7f00:1]`). A DNS name that resolves to a private address cannot be caught
// here; that is what the allow-list is for.

import ipaddr from "ipaddr.js";

export type HostVerdict = "ok" | "local-hostname" | "private-address";

/** Not public unicast: this-network, private, shared (CGNAT), loopback, link-local (cloud metadata), special, documentation, benchmarking, multicast, reserved. */
const blockedIpv4 = [
  "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
  "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
].map((cidr) => ipaddr.IPv4.parseCIDR(cidr));
const loopbackIpv4 = ipaddr.IPv4.parseCIDR("127.0.0.0/8");

/** Special-use and private DNS suffixes (RFC 6761, 6762, 8375) and cloud metadata names such as metadata.google.internal. */
const localSuffixes = ["localhost", "local", "localdomain", "internal", "home.arpa"];

/** `allowLoopback` is for tests and local benchmarks, whose origin runs on 127.0.0.1; it opens 127.0.0.0/8 only. */
export function classifyHost(hostname: string, allowLoopback: boolean): HostVerdict {
  if (hostname.startsWith("[")) return isPublicIpv6(hostname.slice(1, -1)) ? "ok" : "private-address";
  // Only the dotted quad the URL parser leaves (ipaddr.js would also read `0x7f.1` and friends, already normalized).
  if (ipaddr.IPv4.isValidFourPartDecimal(hostname)) {
    const ipv4 = ipaddr.IPv4.parse(hostname);
    if (allowLoopback && ipv4.match(loopbackIpv4)) return "ok";
    return blockedIpv4.some((cidr) => ipv4.match(cidr)) ? "private-address" : "ok";
  }
  const name = hostname.replace(/\.$/, "");
  // A single label (`metadata`, `intranet`) is resolved through local search domains.
  if (!name.includes(".")) return "local-hostname";
  return localSuffixes.some((suffix) => name === suffix || name.endsWith(`.${suffix}`)) ? "local-hostname" : "ok";
}

/**
 * Only global unicast (2000::/3) passes, minus the ranges that carry or reach IPv4 or are not routable:
 * 2001::/23 (Teredo, benchmarking, ORCHID), 2001:db8::/32 (documentation), 2002::/16 (6to4). Everything else
 * (::, ::1, ::ffff:0:0/96 mapped, ::/96 compatible, 64:ff9b::/96 NAT64, fc00::/7, fe80::/10, ff00::/8) is refused,
 * and so is anything that does not parse. (ipaddr.js's own range names are coarser than this policy: it parses,
 * the policy is ours.)
 */
function isPublicIpv6(text: string): boolean {
  if (!ipaddr.IPv6.isValid(text) || text.includes("%")) return false;
  const [g0, g1] = ipaddr.IPv6.parse(text).parts as [number, number];
  if ((g0 & 0xe000) !== 0x2000) return false;
  if (g0 === 0x2001 && (g1 < 0x0200 || g1 === 0x0db8)) return false;
  return g0 !== 0x2002;
}
