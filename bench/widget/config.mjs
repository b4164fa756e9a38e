// The agent both widgets talk to, and what the fake microphone says. Shared by bench/widget.mjs only.

export const AGENT_ID = 'bench-widget';
export const UTTERANCE = 'what can you do';
export const REPLY = 'I can help you.';

/** Public (no signature needed for ours), greets first so every call has agent audio right after it connects. */
export const BENCH_AGENT = {
  agent_id: AGENT_ID,
  first_message: 'Hello, how can I help?',
  turn_timeout_seconds: -1, // no "Are you still there?" between turns
  max_duration_seconds: 600,
  rules: [{ match: UTTERANCE, reply: REPLY }],
};

// The microphone file (Chromium's --use-file-for-fake-audio-capture, played once per capture): silence while
// the greeting plays, then the utterance every TURN_MS, enough turns to fill a 30 s call. The ~2 s gap after each
// utterance leaves room for the turn to end (0.7 s of silence) and the ~1.2 s reply, so no turn is an interruption.
export const MIC_RATE = 48_000;
export const LEADING_SILENCE_MS = 4000;
export const TURN_MS = 5000;
export const TURNS = 8;

/** The WAV bytes: `synthesize`/`toWav` are the emulator's own, so the emulator recognises every word. */
export function micWav({ synthesize, toWav }) {
  const speech = synthesize(UTTERANCE, MIC_RATE).samples;
  const at = (ms) => Math.round((ms * MIC_RATE) / 1000);
  const samples = new Float32Array(at(LEADING_SILENCE_MS + TURNS * TURN_MS));
  for (let turn = 0; turn < TURNS; turn++) samples.set(speech, at(LEADING_SILENCE_MS + turn * TURN_MS));
  return toWav(samples, MIC_RATE);
}
