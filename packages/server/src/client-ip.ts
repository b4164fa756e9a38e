// The caller's IP for rate limiting. Headers a caller can write are only believed when you say a proxy sets them.

/** Socket addresses recorded by the Node adapter for the requests it made. */
export const clientAddresses = new WeakMap<Request, string>();

/**
 * Platform-set headers first (Cloudflare's `cf-connecting-ip`, which callers cannot forge there), then the socket
 * address from the Node adapter; `X-Forwarded-For` / `X-Real-IP` only with `trustProxy`, since anyone can send them.
 */
export function clientIp(request: Request, trustProxy = false): string | undefined {
  const platform = request.headers.get('cf-connecting-ip') ?? request.headers.get('fly-client-ip');
  if (platform) return platform;
  if (trustProxy) {
    const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
    const real = request.headers.get('x-real-ip');
    if (real) return real;
  }
  return clientAddresses.get(request);
}
