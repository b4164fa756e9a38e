// The demo hub: shows that the emulator mounted on this server answers, and chats with its `demo` agent in text
// through the official @elevenlabs/client. Every message is rendered as text, never as HTML.
import { Conversation, type DisconnectionDetails } from '@elevenlabs/client';

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The demo page has no #${id}`);
  return element as T;
}

const health = byId<HTMLParagraphElement>('health');
const agents = byId<HTMLUListElement>('agents');
const check = byId<HTMLButtonElement>('check');
const start = byId<HTMLButtonElement>('start');
const end = byId<HTMLButtonElement>('end');
const chatStatus = byId<HTMLParagraphElement>('chat-status');
const transcript = byId<HTMLDivElement>('transcript');
const form = byId<HTMLFormElement>('chat-form');
const input = byId<HTMLInputElement>('message');
const send = byId<HTMLButtonElement>('send');

/** The emulator is mounted on the server that serves this page, so its WebSocket origin is ours. */
const wsOrigin = location.origin.replace(/^http/, 'ws');

// ---- emulator status ------------------------------------------------------------------------------

async function checkEmulator() {
  health.textContent = 'Checking the emulator…';
  agents.replaceChildren();
  try {
    const response = await fetch('/_emulator/health');
    if (!response.ok) throw new Error(`it answered ${response.status}`);
    const body = (await response.json()) as { ok?: boolean; agents?: string[]; conversations?: number };
    const list = body.agents ?? [];
    health.textContent = `The emulator is running at ${wsOrigin}, with ${list.length} agent${list.length === 1 ? '' : 's'} and ${body.conversations ?? 0} conversation${body.conversations === 1 ? '' : 's'} so far.`;
    agents.replaceChildren(
      ...list.map((id) => {
        const item = document.createElement('li');
        const code = document.createElement('code');
        code.textContent = id;
        item.append(code);
        return item;
      }),
    );
  } catch (error) {
    health.textContent = `The emulator did not answer (${error instanceof Error ? error.message : String(error)}). Start this page with npm run demo.`;
  }
}

check.addEventListener('click', () => void checkEmulator());
void checkEmulator();

// ---- text chat ---------------------------------------------------------------------------------------

type Speaker = 'You' | 'Agent' | 'Page';
let conversation: Conversation | null = null;

function addEntry(speaker: Speaker, text: string) {
  transcript.querySelector('.empty')?.remove();
  const entry = document.createElement('p');
  if (speaker === 'Page') entry.className = 'from-page';
  const name = document.createElement('strong');
  name.textContent = `${speaker}: `;
  entry.append(name, text);
  transcript.append(entry);
  const reduceMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
  transcript.scrollTo({ top: transcript.scrollHeight, behavior: reduceMotion ? 'auto' : 'smooth' });
}

function setConnected(connected: boolean) {
  const hadFocus = input.matches(':focus') || send.matches(':focus') || end.matches(':focus');
  start.disabled = connected;
  end.disabled = !connected;
  input.disabled = !connected;
  send.disabled = !connected;
  // Keep keyboard users where they can act next instead of on a button that just became disabled.
  if (connected) input.focus();
  else if (hadFocus) start.focus();
}

function describeEnd(details: DisconnectionDetails) {
  if (details.reason === 'user') return 'You ended the chat.';
  if (details.reason === 'agent') return 'The agent ended the chat.';
  return `The connection failed: ${details.message}`;
}

async function startChat() {
  start.disabled = true;
  chatStatus.textContent = 'Connecting…';
  let ended = false;
  try {
    const session = await Conversation.startSession({
      agentId: 'demo',
      textOnly: true,
      origin: wsOrigin,
      connectionType: 'websocket',
      clientTools: {
        // The demo agent calls this when you ask for the time; the answer comes from this device.
        get_local_time: () => {
          const time = new Date().toLocaleTimeString();
          addEntry('Page', `told the agent the local time (${time}) through the get_local_time client tool.`);
          return time;
        },
      },
      onConnect: () => {
        chatStatus.textContent = 'Connected. Type a message and press Enter.';
      },
      onMessage: ({ role, message }) => {
        if (role === 'agent') addEntry('Agent', message);
      },
      onError: (message) => {
        chatStatus.textContent = `Error: ${message}`;
      },
      onDisconnect: (details) => {
        ended = true;
        conversation = null;
        chatStatus.textContent = describeEnd(details);
        setConnected(false);
      },
    });
    if (!ended) {
      conversation = session;
      setConnected(true);
    }
  } catch (error) {
    conversation = null;
    chatStatus.textContent = `Could not start the chat: ${error instanceof Error ? error.message : String(error)}`;
    setConnected(false);
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
