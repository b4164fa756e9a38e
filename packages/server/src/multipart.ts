// A streaming multipart/form-data reader: bytes in as they arrive, events out (a part's headers, its data, its end),
// holding back only what could be the start of the next boundary. Web-standard (Uint8Array), so it runs on Workers,
// Deno and Bun as well as Node.
import { ApiError } from './errors.ts';

export interface PartHeaders {
  /** The form field's name. */
  name: string;
  /** Set for a file part. */
  filename?: string;
  /** The declared type, lower-cased, without parameters (`audio/webm;codecs=opus` → `audio/webm`). */
  type?: string;
}

export type PartEvent =
  { kind: 'headers'; headers: PartHeaders } | { kind: 'data'; bytes: Uint8Array } | { kind: 'end' };

/** The longest header block a part may have. */
const MAX_HEADER_BYTES = 16 * 1024;
const CRLF_CRLF = new Uint8Array([13, 10, 13, 10]);

const malformed = (why: string) =>
  new ApiError(400, 'invalid_body', `The upload is not valid multipart/form-data: ${why}.`);

export class MultipartReader {
  readonly #delimiter: Uint8Array;
  // Starts with CRLF, so the first boundary looks like every other one: CRLF "--" boundary.
  #buffer: Uint8Array = new Uint8Array([13, 10]);
  #state: 'preamble' | 'after-boundary' | 'headers' | 'body' | 'done' = 'preamble';

  constructor(boundary: string) {
    this.#delimiter = new TextEncoder().encode(`\r\n--${boundary}`);
  }

  /** The events the bytes so far complete. Throws a 400 `ApiError` on a malformed body. */
  push(chunk: Uint8Array): PartEvent[] {
    const buffer = new Uint8Array(this.#buffer.length + chunk.length);
    buffer.set(this.#buffer);
    buffer.set(chunk, this.#buffer.length);
    this.#buffer = buffer;
    const events: PartEvent[] = [];
    for (;;) {
      const b = this.#buffer;
      switch (this.#state) {
        case 'preamble': {
          const at = indexOf(b, this.#delimiter);
          if (at < 0) {
            this.#keepTail();
            return events;
          }
          this.#buffer = b.subarray(at + this.#delimiter.length);
          this.#state = 'after-boundary';
          break;
        }
        case 'after-boundary':
          if (b.length < 2) return events;
          if (b[0] === 45 && b[1] === 45) {
            this.#state = 'done'; // "--": the last boundary; an epilogue is ignored
            return events;
          }
          if (b[0] !== 13 || b[1] !== 10) throw malformed('a boundary is followed by neither CRLF nor "--"');
          this.#buffer = b.subarray(2);
          this.#state = 'headers';
          break;
        case 'headers': {
          const at = indexOf(b, CRLF_CRLF);
          if (at < 0) {
            if (b.length > MAX_HEADER_BYTES) throw malformed('a part has over 16 KiB of headers');
            return events;
          }
          events.push({ kind: 'headers', headers: parseHeaders(new TextDecoder().decode(b.subarray(0, at))) });
          this.#buffer = b.subarray(at + 4);
          this.#state = 'body';
          break;
        }
        case 'body': {
          const at = indexOf(b, this.#delimiter);
          if (at < 0) {
            // All but what could be the start of a boundary is this part's data.
            const safe = b.length - (this.#delimiter.length - 1);
            if (safe > 0) events.push({ kind: 'data', bytes: b.subarray(0, safe) });
            if (safe > 0) this.#buffer = b.subarray(safe);
            return events;
          }
          if (at > 0) events.push({ kind: 'data', bytes: b.subarray(0, at) });
          events.push({ kind: 'end' });
          this.#buffer = b.subarray(at + this.#delimiter.length);
          this.#state = 'after-boundary';
          break;
        }
        case 'done':
          return events;
      }
    }
  }

  /** Throws unless the body ended with its last boundary. */
  end(): void {
    if (this.#state !== 'done') throw malformed('it ended before its last boundary');
  }

  #keepTail() {
    const keep = this.#delimiter.length - 1;
    if (this.#buffer.length > keep) this.#buffer = this.#buffer.subarray(this.#buffer.length - keep);
  }
}

function parseHeaders(block: string): PartHeaders {
  let name: string | undefined;
  let filename: string | undefined;
  let type: string | undefined;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const field = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (field === 'content-disposition') {
      name = /(?:^|;)\s*name="([^"]*)"/i.exec(value)?.[1] ?? /(?:^|;)\s*name=([^;\s]+)/i.exec(value)?.[1];
      filename = /;\s*filename="([^"]*)"/i.exec(value)?.[1] ?? /;\s*filename=([^;\s]+)/i.exec(value)?.[1];
    } else if (field === 'content-type') {
      type = value.split(';')[0]!.trim().toLowerCase();
    }
  }
  if (name === undefined) throw malformed('a part has no Content-Disposition name');
  return { name, ...(filename === undefined ? {} : { filename }), ...(type ? { type } : {}) };
}

/** Where `needle` first occurs in `haystack`, or -1. */
export function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  const last = haystack.length - needle.length;
  for (let i = haystack.indexOf(needle[0]!); i >= 0 && i <= last; i = haystack.indexOf(needle[0]!, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/** The boundary of a `multipart/form-data` Content-Type, or `undefined` for any other type. */
export function boundaryOf(contentType: string): string | undefined {
  if (!/^multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s"]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}
