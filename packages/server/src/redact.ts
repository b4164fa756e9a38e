// Cuts a secret out of text before it reaches a log line or a response: as it is, URL-encoded, or base64-encoded.

/**
 * The forms a secret can take inside other text. Base64 encodes 3 bytes at a time, so a secret inside a longer
 * base64 string shows up as one of three aligned runs; each run is long enough to be unmistakable.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]);
  const bytes = new TextEncoder().encode(secret);
  for (let start = 0; start < 3; start++) {
    const end = start + Math.floor((bytes.length - start) / 3) * 3;
    if (end - start < 6) continue;
    // btoa, not Buffer: the handler also runs on Workers, Deno and Bun.
    const base64 = btoa(String.fromCharCode(...bytes.subarray(start, end)));
    forms.add(base64);
    forms.add(base64.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms].filter(Boolean);
}

/** `text` with every form of `secret` replaced by `[redacted]`. */
export function redact(text: string, secret: string | undefined): string {
  if (!secret) return text;
  for (const form of secretForms(secret)) text = text.split(form).join('[redacted]');
  return text;
}
