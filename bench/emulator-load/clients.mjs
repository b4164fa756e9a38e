// N simulated @elevenlabs/client voice sessions in one process, streaming microphone audio in real time.
// Driven over IPC by ../emulator-load.mjs: `start` connects (staggered), `mark` starts the measurement
// window, `stop` closes every session and reports.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { runnerImport } from 'vite';
import {
  AUDIO_EVENT_MS,
  CHUNK_MS,
  CHUNK_SAMPLES,
  SAMPLE_RATE,
  SILENCE_MS,
  STREAM_LEAD_MS,
  UTTERANCE,
} from './config.mjs';
import { clock as now, cpuWaitMs, summary } from './stats.mjs';

// `ws` as the emulator itself resolves it (the root package does not declare it).
const { WebSocket } = createRequire(new URL('../../packages/emulator/package.json', import.meta.url))('ws');

// The microphone loop: silence, then the utterance in the emulator's own synthetic speech, as PCM16 LE frames
// of 512 samples, encoded once (toWav's samples are the official worklet's float → int16 scaling).
const speechTs = fileURLToPath(new URL('../../packages/emulator/src/speech.ts', import.meta.url));
const { synthesize, toWav } = (await runnerImport(speechTs)).module;
const pcm = toWav(synthesize(UTTERANCE, SAMPLE_RATE).samples, SAMPLE_RATE, { leadingSilenceMs: SILENCE_MS }).subarray(
  44,
);
const frameBytes = CHUNK_SAMPLES * 2;
const loop = new Uint8Array(Math.ceil(pcm.length / frameBytes) * frameBytes); // zero-padded to whole frames
loop.set(pcm);
const frames = [];
for (let o = 0; o < loop.length; o += frameBytes) {
  const base64 = Buffer.from(loop.subarray(o, o + frameBytes)).toString('base64');
  frames.push(Buffer.from(JSON.stringify({ user_audio_chunk: base64 })));
}

let markAt = Infinity; // samples count only from the start of the measurement window
let stopping = false;
const rtt = []; // user_audio_chunk sent → its vad_score received, ms
const audioLate = []; // agent audio event received vs its real-time schedule, ms
const sendLag = []; // our own timer's lateness: client health, not the server's
const totals = { transcripts: 0, correct: 0, wrong: new Map(), interruptions: 0, errors: [], unmatchedVad: 0 };

class Session {
  constructor(url) {
    this.connected = false;
    this.closed = null; // close code, if the server closed us before the end
    this.turns = 0; // user_transcript followed by agent audio
    this.sent = []; // send times of chunks awaiting their vad_score (FIFO: one vad_score per chunk, in order)
    this.vads = 0;
    this.measured = []; // [vad_score index, chunk send time] pairs in the window, to match the server's send times
    this.awaitingReply = false;
    this.ws = new WebSocket(url, ['convai']);
    this.ws.on('open', () => this.ws.send(JSON.stringify({ type: 'conversation_initiation_client_data' })));
    this.ws.on('message', (data) => this.onMessage(JSON.parse(data.toString())));
    this.ws.on('close', (code) => {
      clearTimeout(this.timer);
      if (!stopping) this.closed = code;
    });
    this.ws.on('error', (error) => totals.errors.push(error.message));
  }

  onMessage(m) {
    const t = now();
    switch (m.type) {
      case 'conversation_initiation_metadata':
        this.connected = true;
        this.id = m.conversation_initiation_metadata_event.conversation_id;
        this.startMicrophone();
        break;
      case 'ping':
        this.ws.send(JSON.stringify({ type: 'pong', event_id: m.ping_event.event_id }));
        break;
      case 'vad_score': {
        const sentAt = this.sent.shift();
        if (sentAt === undefined) totals.unmatchedVad++;
        else if (sentAt >= markAt) {
          rtt.push(t - sentAt);
          this.measured.push(this.vads, sentAt);
        }
        this.vads++;
        break;
      }
      case 'user_transcript': {
        const text = m.user_transcription_event.user_transcript;
        if (t >= markAt) {
          totals.transcripts++;
          if (text === UTTERANCE) totals.correct++;
          else totals.wrong.set(text, (totals.wrong.get(text) ?? 0) + 1);
        }
        this.awaitingReply = true;
        break;
      }
      case 'agent_response':
        this.replyAt = t;
        this.replyEvents = 0;
        break;
      case 'audio':
        if (this.awaitingReply) {
          this.awaitingReply = false;
          this.turns++;
        }
        if (this.replyAt >= markAt) {
          const due = this.replyAt + Math.max(0, this.replyEvents * AUDIO_EVENT_MS - STREAM_LEAD_MS);
          audioLate.push(t - due);
        }
        this.replyEvents++;
        break;
      case 'interruption':
        if (t >= markAt) totals.interruptions++;
        break;
      case 'error':
        totals.errors.push(m.error_event?.message ?? JSON.stringify(m));
        break;
    }
  }

  // Drift-free: frame k is due at start + k·32 ms; a late timer sends every frame due, as a worklet's buffer would.
  startMicrophone() {
    const start = now();
    let k = 0;
    const tick = () => {
      for (let t = now(); start + k * CHUNK_MS <= t && this.ws.readyState === WebSocket.OPEN; k++) {
        if (start + k * CHUNK_MS >= markAt) sendLag.push(t - (start + k * CHUNK_MS));
        this.sent.push(now());
        this.ws.send(frames[k % frames.length], { binary: false }); // a text frame, as the SDK sends
      }
      this.timer = setTimeout(tick, start + k * CHUNK_MS - now());
    };
    tick();
  }
}

const sessions = [];
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
let cpuAtMark;
let waitAtMark;

process.on('message', (message) => {
  if (message.type === 'start') {
    const { port, sessions: n, rampMs } = message;
    const url = `ws://127.0.0.1:${port}/v1/convai/conversation?agent_id=bench&source=js_sdk&version=bench`;
    // Evenly over the ramp, each at a random point of its slot: an exact 2000/50 = 40 ms spacing would give the
    // 32 ms microphone frames only 4 phases, so chunks would arrive in bursts no real audience produces.
    const random = mulberry32(1);
    for (let i = 0; i < n; i++) setTimeout(() => sessions.push(new Session(url)), ((i + random()) * rampMs) / n);
  } else if (message.type === 'mark') {
    markAt = now();
    cpuAtMark = process.cpuUsage();
    waitAtMark = cpuWaitMs();
    loopDelay.enable();
  } else if (message.type === 'stop') {
    const seconds = (now() - markAt) / 1000;
    stopping = true;
    loopDelay.disable();
    const cpu = process.cpuUsage(cpuAtMark);
    for (const s of sessions) clearTimeout(s.timer);
    const result = {
      type: 'result',
      connected: sessions.filter((s) => s.connected).length,
      dropped: sessions.filter((s) => s.closed !== null).map((s) => s.closed),
      held: sessions.filter((s) => s.connected && s.closed === null && s.turns > 0).length,
      turns: sessions.reduce((n, s) => n + s.turns, 0),
      rtt: summary(rtt),
      audioLate: summary(audioLate),
      sendLag: summary(sendLag),
      loopDelayMs: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
      cpuPercent: (cpu.user + cpu.system) / 1e4 / seconds,
      cpuWaitPercent: (cpuWaitMs() - waitAtMark) / 10 / seconds,
      transcripts: totals.transcripts,
      correct: totals.correct,
      wrong: [...totals.wrong].slice(0, 5),
      interruptions: totals.interruptions,
      unmatchedVad: totals.unmatchedVad,
      errors: [...new Set(totals.errors)].slice(0, 5),
      chunks: sessions.filter((s) => s.id).map((s) => ({ id: s.id, measured: Float64Array.from(s.measured) })),
    };
    for (const s of sessions) s.ws.close(1000);
    process.send(result, () => process.disconnect());
  }
});
process.on('disconnect', () => process.exit(stopping ? 0 : 1)); // after the report, or the orchestrator died
process.send({ type: 'ready' });

/** A small seeded PRNG, so every run uses the same connect times. */
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
