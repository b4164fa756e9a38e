// Conversation signatures for signed URLs and conversation tokens: HMAC-signed, expiring, optionally single-use.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SignaturePayload {
  /** agent id */
  a: string;
  /** expiry, unix ms */
  e: number;
  /** nonce, so single-use signatures can be remembered */
  n: string;
  /** conversation id when the signature is single-use (`include_conversation_id`) */
  c?: string;
}

export type Verification =
  | { ok: true; payload: SignaturePayload }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'wrong_agent' | 'expired' | 'reused' };

export class Signer {
  readonly #secret = randomBytes(32);
  readonly #used = new Set<string>();

  sign(payload: SignaturePayload): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.#mac(body)}`;
  }

  /** Checks a signature for `agentId`; a single-use one is consumed by a successful check. */
  verify(signature: string, agentId: string, now = Date.now()): Verification {
    const [body, mac, extra] = signature.split('.');
    if (!body || !mac || extra !== undefined) return { ok: false, reason: 'malformed' };
    const expected = Buffer.from(this.#mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { ok: false, reason: 'bad_signature' };
    let payload: SignaturePayload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SignaturePayload;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (payload.a !== agentId) return { ok: false, reason: 'wrong_agent' };
    if (payload.e <= now) return { ok: false, reason: 'expired' };
    if (payload.c !== undefined) {
      if (this.#used.has(payload.n)) return { ok: false, reason: 'reused' };
      this.#used.add(payload.n);
    }
    return { ok: true, payload };
  }

  /** The payload of a signature this signer made, without checking or consuming it. */
  peek(signature: string): SignaturePayload | undefined {
    try {
      return JSON.parse(Buffer.from(signature.split('.')[0] ?? '', 'base64url').toString('utf8')) as SignaturePayload;
    } catch {
      return undefined;
    }
  }

  #mac(body: string): string {
    return createHmac('sha256', this.#secret).update(body).digest('base64url');
  }
}

export const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
