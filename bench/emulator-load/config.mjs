// What the load benchmark's sessions say and hear; shared by the server and client processes.

export const UTTERANCE = 'what can you do';
export const REPLY = 'I can help you.'; // ~1.2 s of synthetic speech: 6 audio events, 3 of them paced by timers

export const BENCH_AGENT = {
  agent_id: 'bench',
  first_message: '', // the user speaks first
  turn_timeout_seconds: -1, // no "Are you still there?" between turns
  max_duration_seconds: 3600,
  rules: [{ match: UTTERANCE, reply: REPLY }],
};

export const SAMPLE_RATE = 16_000; // pcm_16000, the agent's default input and output format
export const CHUNK_SAMPLES = 512; // @elevenlabs/client's microphone frame
export const CHUNK_MS = (CHUNK_SAMPLES * 1000) / SAMPLE_RATE; // 32
// Silence before each utterance. 2 s rather than 1.5 s: the turn ends 0.7 s into it and the ~1.2 s reply must
// finish before the user speaks again, or every turn becomes an interruption.
export const SILENCE_MS = 2000;

// The emulator's audio pacing (conversation.ts): one `audio` event per AUDIO_EVENT_MS of speech, event i sent
// max(0, i·AUDIO_EVENT_MS − STREAM_LEAD_MS) after `agent_response`. The server is started with this chunk size.
export const AUDIO_EVENT_MS = 200;
export const STREAM_LEAD_MS = 400;

// Measuring starts this long after the last session connects: once every session has spoken, been transcribed
// and heard a reply, so the window is steady state (first-turn JIT compilation of the recogniser excluded).
export const WARMUP_MS = 5000;

export const TARGET = { sessions: 50, p99Ms: 20 };
