// A text chat with a private agent: the page asks this server's token endpoint (@elevenkit/server, mounted by
// vite.config.ts) for a signed URL and connects with it, so the API key never reaches the browser.
import { Conversation, type DisconnectionDetails } from '@elevenlabs/client';

/** Set by vite.config.ts: which agent to ask for, and whether the endpoint signs with the emulator or ElevenLabs. */
declare const __ELEVENKIT_DEMO_TOKEN_ENDPOINT__: { agentId: string; upstream: 'emulator' | 'elevenlabs' };

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The demo page has no #${id}`);
  return element as T;
}

const upstream = byId<HTMLSpanElement>('private-upstream');
const agentInput = byId<HTMLInputElement>('private-agent');
const start = byId<HTMLButtonElement>('private-start');
const end = byId<HTMLButtonElement>('private-end');
const status = byId<HTMLParagraphElement>('private-status');
const transcript = byId<HTMLDivElement>('private-transcript');
const form = byId<HTMLFormElement>('private-form');
const input = byId<HTMLInputElement>('private-message');
const send = byId<HTMLButtonElement>('private-send');

const config = __ELEVENKIT_DEMO_TOKEN_ENDPOINT__;
agentInput.value = config.agentId;
upstream.textContent =
  config.upstream === 'elevenlabs'
    ? 'Here the endpoint signs with ElevenLabs itself (ELEVENLABS_API_KEY is set on the server).'
    : 'Here it signs with the emulator on this server.';

let conversation: Conversation | null = null;

function addEntry(speaker: 'You' | 'Agent', text: string) {
  transcript.querySelector('.empty')?.remove();
  const entry = document.createElement('p');
  const name = document.createElement('strong');
  name.textContent = `${speaker}: `;
  entry.append(name, text);
  transcript.append(entry);
  transcript.scrollTo({ top: transcript.scrollHeight });
}

function setConnected(connected: boolean) {
  const hadFocus = [input, send, end].some((element) => element.matches(':focus'));
  start.disabled = connected;
  agentInput.disabled = connected;
  end.disabled = !connected;
  input.disabled = !connected;
  send.disabled = !connected;
  if (connected) input.focus();
  else if (hadFocus) start.focus();
}

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

function describeEnd(details: DisconnectionDetails) {
  if (details.reason === 'user') return 'You ended the private chat.';
  if (details.reason === 'agent') return 'The private agent ended the chat.';
  return `The connection failed: ${details.message}`;
}

async function startChat() {
  start.disabled = agentInput.disabled = true;
  status.textContent = 'Asking the token endpoint for a signed URL…';
  let ended = false;
  try {
    const signedUrl = await fetchSignedUrl(agentInput.value.trim());
    status.textContent = 'Connecting with the signed URL…';
    const session = await Conversation.startSession({
      signedUrl,
      textOnly: true,
      onConnect: () => {
        status.textContent = 'Connected to the private agent. Type a message and press Enter.';
      },
      onMessage: ({ role, message }) => {
        if (role === 'agent') addEntry('Agent', message);
      },
      onError: (message) => {
        status.textContent = `Error: ${message}`;
      },
      onDisconnect: (details) => {
        ended = true;
        conversation = null;
        status.textContent = describeEnd(details);
        setConnected(false);
      },
    });
    if (!ended) {
      conversation = session;
      setConnected(true);
    }
  } catch (error) {
    conversation = null;
    status.textContent = `Could not start the private chat: ${error instanceof Error ? error.message : String(error)}`;
    setConnected(false);
    start.focus();
  }
}

start.addEventListener('click', () => void startChat());
end.addEventListener('click', () => void conversation?.endSession());

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text || !conversation) return;
  addEntry('You', text);
  conversation.sendUserMessage(text);
  input.value = '';
});
