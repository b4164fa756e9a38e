import { ElevenkitError } from './errors.ts';

/**
 * Asks a token endpoint (`@elevenkit/server`'s `…/signed-url` route, or any route answering `{ signed_url }`) for
 * a fresh signed URL. `endpoint` may be relative to the page; `agent_id` is added unless the URL already has one.
 */
export async function fetchSignedUrl(
  endpoint: string,
  agentId: string | undefined,
  signal?: AbortSignal,
): Promise<string> {
  const url = new URL(endpoint, globalThis.location?.href);
  if (agentId && !url.searchParams.has('agent_id')) url.searchParams.set('agent_id', agentId);
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' }, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ElevenkitError('signed-url-failed', 'Could not reach the signed-URL endpoint. Check the connection.', {
      cause: error,
    });
  }
  const body = (await response.json().catch(() => null)) as {
    signed_url?: unknown;
    error?: { message?: unknown };
  } | null;
  if (!response.ok || typeof body?.signed_url !== 'string') {
    const reason = typeof body?.error?.message === 'string' ? ` ${body.error.message}` : '';
    throw new ElevenkitError(
      'signed-url-failed',
      `The signed-URL endpoint answered ${response.status}.${reason}`.slice(0, 300),
    );
  }
  return body.signed_url;
}
