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
