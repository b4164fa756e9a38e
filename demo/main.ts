// The demo hub: shows that the emulator mounted on this server answers, and chats with its `demo` agent in text
// through the official @elevenlabs/client. Every message is rendered as text, never as HTML.
import { byId, mountTextChat } from './chat.ts';

const health = byId<HTMLParagraphElement>('health');
const agents = byId<HTMLUListElement>('agents');
const check = byId<HTMLButtonElement>('check');

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

// ---- text chat with the `demo` agent -------------------------------------------------------------------

mountTextChat({
  prefix: '',
  chatName: 'chat',
  agentName: 'agent',
  connect: async ({ addEntry }) => ({
    agentId: 'demo',
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
  }),
});
