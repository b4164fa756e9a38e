// What bench/widget.mjs runs inside the page. `installProbe` is an init script (Playwright serialises it), so it
// runs before any of the page's own scripts, identically for both widgets. It only takes timestamps
// (`performance.now()`, the page's clock) and never changes what the widgets do.

/** Installs `window.__bench`: the timestamps of the launcher's first frame, clicks, getUserMedia and sockets. */
export function installProbe() {
  const bench = {
    /** First animation frame whose DOM has a visible button in the widget's shadow root (launcher painted). */
    launcher: null,
    /** `customElements.whenDefined('elevenlabs-convai')` resolved: the script has run its definition. */
    defined: null,
    clicks: [],
    getUserMedia: [],
    sockets: [],
  };
  window.__bench = bench;

  // Every WebSocket: open, the conversation_initiation_metadata and the agent's `audio` messages. Both widgets'
  // clients create theirs with `new WebSocket(url, ['convai'])` from the global, and the type is the first key
  // of every emulator message, so an anchored match on the start of the frame is enough (no parse per frame).
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      const socket = {
        url: String(url),
        created: performance.now(),
        open: null,
        metadata: null,
        conversationId: null,
        firstAudio: null,
        audio: 0,
      };
      bench.sockets.push(socket);
      this.addEventListener('open', () => (socket.open = performance.now()));
      this.addEventListener('message', ({ data }) => {
        if (typeof data !== 'string') return;
        const at = performance.now();
        const type = /^\{"type":"([a-z_]+)"/.exec(data)?.[1];
        if (type === 'audio') {
          socket.audio++;
          socket.firstAudio ??= at;
        } else if (type === 'conversation_initiation_metadata' && socket.metadata === null) {
          socket.metadata = at;
          socket.conversationId = JSON.parse(data).conversation_initiation_metadata_event.conversation_id;
        }
      });
    }
  };

  const getUserMedia = MediaDevices.prototype.getUserMedia;
  MediaDevices.prototype.getUserMedia = function (constraints) {
    bench.getUserMedia.push(performance.now());
    return getUserMedia.call(this, constraints);
  };

  // Capture phase on window: before the widget's own handlers (clicks inside a shadow root are composed).
  window.addEventListener('click', () => bench.clicks.push(performance.now()), true);
  customElements.whenDefined('elevenlabs-convai').then(() => (bench.defined = performance.now()));

  const visibleButtons = () => {
    const root = document.querySelector('elevenlabs-convai')?.shadowRoot;
    if (!root) return [];
    return [...root.querySelectorAll('button')].filter((button) => {
      const box = button.getBoundingClientRect();
      return box.width > 0 && box.height > 0;
    });
  };
  // Checked in each frame's rAF callbacks; the frame's paint follows in the same frame.
  const watch = () => {
    if (visibleButtons().length) bench.launcher = performance.now();
    else requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);

  const clicked = new WeakSet();
  let moreSince = null; // see afterClick
  /**
   * Where to click next to start a call: the first visible button labelled `label` ("Start a call") not clicked
   * yet, otherwise the first visible button not clicked yet (an expander). Null if there is none.
   */
  bench.nextTarget = (label) => {
    const buttons = visibleButtons().filter((button) => !clicked.has(button));
    const named = (button) =>
      button.getAttribute('aria-label')?.trim() === label || button.textContent?.trim() === label;
    const button = buttons.find(named) ?? buttons[0];
    if (!button) return null;
    clicked.add(button);
    moreSince = null;
    const box = button.getBoundingClientRect();
    return { x: box.x + box.width / 2, y: box.y + box.height / 2, named: named(button) };
  };
  /**
   * After a click: 'call' once the widget asked for the microphone or opened a socket; 'more' once it has shown
   * another, unclicked start button for 100 ms without starting a call (it expanded instead); otherwise false.
   */
  bench.afterClick = (label) => {
    if (bench.getUserMedia.length || bench.sockets.length) return 'call';
    const more = visibleButtons().some(
      (button) =>
        !clicked.has(button) &&
        (button.getAttribute('aria-label')?.trim() === label || button.textContent?.trim() === label),
    );
    if (!more) return ((moreSince = null), false);
    moreSince ??= performance.now();
    return performance.now() - moreSince >= 100 ? 'more' : false;
  };
}
