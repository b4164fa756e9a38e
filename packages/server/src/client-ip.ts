// The caller's IP for rate limiting. Headers a caller can write are only believed when you say a proxy sets them.
import type { Incoming } from './incoming.ts';

/** Socket addresses recorded by the Node adapter for the requests (and stand-ins, see ./incoming.ts) it made. */
export const clientAddresses = new WeakMap<Incoming, string>();

/**
 * The client IP, or `undefined` when this platform does not tell (then set `rateLimit.clientIp`).
 *
 * - Cloudflare Workers: `CF-Connecting-IP`, which Cloudflare sets and callers cannot forge there. Only believed when
 *   the request carries Cloudflare's `cf` object, since anywhere else anyone can send that header.
 * - `trustProxy` (`true` = one proxy, or the number of proxies in front of you): the `X-Forwarded-For` entry that
 *   many hops from the right. Each proxy appends the address it saw, so entries further left were written by the
 *   caller and prove nothing; then `X-Real-IP`.
 * - Otherwise the socket address from the Node adapter.
 */
export function clientIp(request: Request, trustProxy: boolean | number = false): string | undefined {
  return ipOf(request, trustProxy);
}

/** `clientIp` of whatever the handler was given. */
export function ipOf(request: Incoming, trustProxy: boolean | number = false): string | undefined {
  if ((request as { cf?: unknown }).cf) {
    const cloudflare = request.headers.get('cf-connecting-ip');
    if (cloudflare) return cloudflare;
  }
  const hops = trustProxy === true ? 1 : Number(trustProxy) || 0;
  if (hops > 0) {
    const forwarded = (request.headers.get('x-forwarded-for') ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    // Fewer entries than proxies means the caller sent none, so the leftmost is the first proxy's.
    if (forwarded.length) return forwarded[Math.max(0, forwarded.length - hops)];
    const real = request.headers.get('x-real-ip')?.trim();
    if (real) return real;
  }
  return clientAddresses.get(request);
}

/**
 * What an anonymous caller is counted as: an IPv4 address (also when written IPv4-mapped, `::ffff:1.2.3.4`), or the
 * /64 network of an IPv6 address, since one home or server is handed a whole /64 and can take a fresh address from
 * it for each request. Anything else is kept as written.
 */
export function ipGroup(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (v4) return v4[1]!;
  const address = ip.replace(/^\[(.*)\]$/, '$1').split('%')[0]!; // brackets; a zone (`fe80::1%eth0`)
  if (!address.includes(':')) return ip;
  const halves = address.split('::');
  if (halves.length > 2) return ip;
  const [left = [], right = []] = halves.map((half) => (half ? half.split(':') : []));
  const missing = halves.length === 2 ? 8 - left.length - right.length : 0;
  if (missing < 0) return ip;
  const groups = [...left, ...Array<string>(missing).fill('0'), ...right];
  if (groups.length !== 8 || !groups.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return ip;
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
