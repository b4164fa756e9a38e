// The streaming multipart reader on bodies the platform's own FormData writes, fed in pieces of every size, so a
// boundary split across reads is still found and file bytes that resemble one are kept.
import { describe, expect, it } from 'vitest';
import { boundaryOf, MultipartReader } from './multipart.ts';

async function encoded(form: FormData) {
  const response = new Response(form);
  const type = response.headers.get('content-type')!;
  return { boundary: boundaryOf(type)!, bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** Parts as { name, filename, type, text or bytes } from feeding `bytes` in pieces of `size`. */
function read(boundary: string, bytes: Uint8Array, size: number) {
  const reader = new MultipartReader(boundary);
  const parts: { name: string; filename?: string; type?: string; data: number[] }[] = [];
  for (let at = 0; at < bytes.length; at += size) {
    for (const event of reader.push(bytes.subarray(at, at + size))) {
      if (event.kind === 'headers') parts.push({ ...event.headers, data: [] });
      if (event.kind === 'data') parts.at(-1)!.data.push(...event.bytes);
    }
  }
  reader.end();
  return parts;
}

describe('MultipartReader', () => {
  it('reads fields and a file whatever the size of the pieces', () => {
    const boundary = 'b0undary';
    // File bytes that contain CRLF, "--" and most of the boundary, which must not end the part.
    const tricky = `a\r\n--b0undar\r\n--\r\n-b0undary`;
    const body = new TextEncoder().encode(
      [
        'preamble',
        `--${boundary}`,
        'Content-Disposition: form-data; name="model_id"',
        '',
        'scribe_v1',
        `--${boundary}`,
        'Content-Disposition: form-data; name="file"; filename="take.webm"',
        'Content-Type: audio/webm;codecs=opus',
        '',
        tricky,
        `--${boundary}`,
        'content-disposition: form-data; name=language_code',
        '',
        'en',
        `--${boundary}--`,
        'epilogue',
      ].join('\r\n'),
    );
    for (const size of [1, 2, 3, 7, 64, body.length]) {
      const parts = read(boundary, body, size);
      expect(parts.map(({ name, filename, type }) => ({ name, filename, type }))).toEqual([
        { name: 'model_id', filename: undefined, type: undefined },
        { name: 'file', filename: 'take.webm', type: 'audio/webm' },
        { name: 'language_code', filename: undefined, type: undefined },
      ]);
      const text = parts.map((part) => new TextDecoder().decode(new Uint8Array(part.data)));
      expect(text).toEqual(['scribe_v1', tricky, 'en']);
    }
  });

  it('reads what the platform’s FormData writes', async () => {
    const form = new FormData();
    form.append('model_id', 'scribe_v1');
    form.append('file', new Blob([new Uint8Array([0, 13, 10, 45, 45, 255])], { type: 'audio/ogg' }), 'a.ogg');
    const { boundary, bytes } = await encoded(form);
    const parts = read(boundary, bytes, 5);
    expect(parts.map((part) => [part.name, part.type, part.data])).toEqual([
      ['model_id', undefined, [...new TextEncoder().encode('scribe_v1')]],
      ['file', 'audio/ogg', [0, 13, 10, 45, 45, 255]],
    ]);
  });

  it('refuses a body that ends before its last boundary', async () => {
    const form = new FormData();
    form.append('model_id', 'scribe_v1');
    const { boundary, bytes } = await encoded(form);
    expect(() => read(boundary, bytes.subarray(0, bytes.length - 10), 5)).toThrow(/before its last boundary/);
  });

  it('finds the boundary of a multipart Content-Type only', () => {
    expect(boundaryOf('multipart/form-data; boundary=abc')).toBe('abc');
    expect(boundaryOf('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(boundaryOf('multipart/mixed; boundary=abc')).toBeUndefined();
    expect(boundaryOf('application/json')).toBeUndefined();
  });
});
