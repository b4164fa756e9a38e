// How the Node adapter and the handler skip the web `Request` and `Response`: on Node 20, building them (and reading
// the `Response` body back) cost tens of microseconds of CPU per answer (see bench/RESULTS.md).
import type { Answer } from './errors.ts';

/**
 * What the handler reads of a request. A web `Request` is one; the Node adapter's stand-in reads Node's request and
 * builds the `Request` only if one of your callbacks (`authorize`, `agents`, `rateLimit.clientIp`) asks for it.
 */
export interface Incoming {
  readonly url: string;
  readonly method: string;
  readonly headers: { get(name: string): string | null };
  /** Only on the Node adapter's stand-in: the web `Request`, built once. */
  readonly toRequest?: () => Request;
  /** Only on the Node adapter's stand-in: the body a parser mounted earlier (`express.json()`) has read already. */
  readonly parsedBody?: unknown;
}

/** The web `Request` for your callbacks. */
export const webRequest = (incoming: Incoming) => incoming.toRequest?.() ?? (incoming as Request);

/** Each handler `createTokenHandler` made, with its function that answers an `Incoming` without a `Response`. */
export const answerers = new WeakMap<object, (incoming: Incoming) => Promise<Answer>>();
