// One text chat on the demo page: buttons, a transcript rendered as text (never HTML), focus that follows what the
// keyboard user can do next. Both chats (the `demo` agent, and a private agent by signed URL) use it.
import { Conversation, type DisconnectionDetails } from '@elevenlabs/client';

type SessionOptions = Parameters<typeof Conversation.startSession>[0];
export type Speaker = 'You' | 'Agent' | 'Page';

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The demo page has no #${id}`);
  return element as T;
}

export interface TextChat {
  /** Element ids: `${prefix}start`, `end`, `status`, `transcript`, `form`, `message`, `send`. */
  prefix: string;
  /** Elements disabled while connected (e.g. an agent id field). */
  lock?: HTMLInputElement[];
  /** Words for status lines: "chat" / "private chat", "agent" / "private agent". */
  chatName: string;
  agentName: string;
  /** Where to connect (agent id + origin, or a signed URL) and any client tools; may report progress. */
  connect(chat: {
    addEntry(speaker: Speaker, text: string): void;
    setStatus(text: string): void;
  }): Promise<SessionOptions>;
}

export function mountTextChat(options: TextChat) {
  const id = (name: string) => byId(`${options.prefix}${name}`);
  const start = id('start') as HTMLButtonElement;
  const end = id('end') as HTMLButtonElement;
  const status = id('status') as HTMLParagraphElement;
  const transcript = id('transcript') as HTMLDivElement;
  const form = id('form') as HTMLFormElement;
  const input = id('message') as HTMLInputElement;
  const send = id('send') as HTMLButtonElement;
  const lock = options.lock ?? [];
  let conversation: Conversation | null = null;

  const setStatus = (text: string) => (status.textContent = text);

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
    const hadFocus = [input, send, end].some((element) => element.matches(':focus'));
    start.disabled = connected;
    for (const element of lock) element.disabled = connected;
    end.disabled = !connected;
    input.disabled = !connected;
    send.disabled = !connected;
    // Keep keyboard users where they can act next instead of on a button that just became disabled.
    if (connected) input.focus();
    else if (hadFocus) start.focus();
  }

  function describeEnd(details: DisconnectionDetails) {
    if (details.reason === 'user') return `You ended the ${options.chatName}.`;
    if (details.reason === 'agent') return `The ${options.agentName} ended the chat.`;
    return `The connection failed: ${details.message}`;
  }

  async function startChat() {
    start.disabled = true;
    for (const element of lock) element.disabled = true;
    setStatus('Connecting…');
    let ended = false;
    try {
      const where = await options.connect({ addEntry, setStatus });
      const session = await Conversation.startSession({
        ...where,
        textOnly: true,
        onConnect: () => setStatus(`Connected to the ${options.agentName}. Type a message and press Enter.`),
        onMessage: ({ role, message }) => {
          if (role === 'agent') addEntry('Agent', message);
        },
        onError: (message) => setStatus(`Error: ${message}`),
        onDisconnect: (details) => {
          ended = true;
          conversation = null;
          setStatus(describeEnd(details));
          setConnected(false);
        },
      } as SessionOptions);
      if (!ended) {
        conversation = session;
        setConnected(true);
      }
    } catch (error) {
      conversation = null;
      setStatus(`Could not start the ${options.chatName}: ${error instanceof Error ? error.message : String(error)}`);
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
}
