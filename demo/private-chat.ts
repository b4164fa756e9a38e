// A text chat with a private agent: the page asks this server's token endpoint (@elevenkit/server, mounted by
// vite.config.ts) for a signed URL and connects with it, so the API key never reaches the browser.
import { byId, mountTextChat } from './chat.ts';

/** Set by vite.config.ts: which agent to ask for, and whether the endpoint signs with the emulator or ElevenLabs. */
declare const __ELEVENKIT_DEMO_TOKEN_ENDPOINT__: { agentId: string; upstream: 'emulator' | 'elevenlabs' };

const upstream = byId<HTMLSpanElement>('private-upstream');
const agentInput = byId<HTMLInputElement>('private-agent');

const config = __ELEVENKIT_DEMO_TOKEN_ENDPOINT__;
agentInput.value = config.agentId;
upstream.textContent =
  config.upstream === 'elevenlabs'
    ? 'Here the endpoint signs with ElevenLabs itself (ELEVENLABS_API_KEY is set on the server).'
    : 'Here it signs with the emulator on this server.';

/** The signed URL, or an error whose message says what the endpoint answered. */
async function fetchSignedUrl(agentId: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`/api/elevenlabs/signed-url?agent_id=${encodeURIComponent(agentId)}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`the token endpoint could not be reached (${reason}).`, { cause: error });
  }
  const body = (await response.json().catch(() => null)) as {
    signed_url?: string;
    error?: { code: string; message: string };
  } | null;
  if (response.ok && body?.signed_url) return body.signed_url;
  if (!body?.error) throw new Error(`the token endpoint answered ${response.status} without a signed URL.`);
  throw new Error(`the token endpoint answered ${response.status} (${body.error.code}): ${body.error.message}`);
}

mountTextChat({
  prefix: 'private-',
  lock: [agentInput],
  chatName: 'private chat',
  agentName: 'private agent',
  connect: async ({ setStatus }) => {
    setStatus('Asking the token endpoint for a signed URL…');
    const signedUrl = await fetchSignedUrl(agentInput.value.trim());
    setStatus('Connecting with the signed URL…');
    return { signedUrl };
  },
});
