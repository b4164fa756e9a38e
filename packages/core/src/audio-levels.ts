// Levels and frequency bands for visualizers and the recorder's silence detection: ONE analyser graph per
// MediaStream (or per player output node), shared by every reader and closed when the last one lets go. Values are
// read through getters in requestAnimationFrame, never pushed into a store, so a meter costs no render.
import { audioContextClass } from './player/format.ts';
import type { AudioLevels, LevelSource } from './recorder-types.ts';

/** dBFS that reads as level 0; 0 dBFS reads as 1. */
export const LEVEL_FLOOR_DB = -60;
/** The quietest value `dbfs` returns (digital silence). */
const SILENCE_DB = -120;

/** The RMS of samples in dBFS (a full-scale square wave is 0, a full-scale sine about -3). */
export function dbfs(samples: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  return rms > 0 ? Math.max(SILENCE_DB, 20 * Math.log10(rms)) : SILENCE_DB;
}

/** dBFS to the 0–1 level meters show: -60 dBFS → 0, 0 dBFS → 1, linear in dB between. */
export const levelFromDb = (db: number) => Math.min(1, Math.max(0, (db - LEVEL_FLOOR_DB) / -LEVEL_FLOOR_DB));

/** Lowest and highest band edges (Hz): the range where speech has its energy. */
const BANDS_FROM_HZ = 80;
const BANDS_TO_HZ = 8000;

/** One analyser tapping one stream or node. */
class LevelGraph {
  readonly analyser: AnalyserNode;
  refs = 0;
  #time: Float32Array<ArrayBuffer>;
  #bytes: Uint8Array<ArrayBuffer>;
  #readAt = -1;
  #db = SILENCE_DB;
  #bytesAt = -1;

  constructor(
    readonly context: BaseAudioContext,
    input: AudioNode,
    readonly close: () => void,
  ) {
    this.analyser = context.createAnalyser();
    this.analyser.fftSize = 2048;
    this.analyser.smoothingTimeConstant = 0.5;
    this.analyser.minDecibels = -90;
    this.analyser.maxDecibels = -10;
    input.connect(this.analyser);
    this.#time = new Float32Array(this.analyser.fftSize);
    this.#bytes = new Uint8Array(this.analyser.frequencyBinCount);
  }

  /** dBFS of the last analyser window (computed once per audio render quantum, however many readers ask). */
  db(): number {
    const now = this.context.currentTime;
    if (now !== this.#readAt || now === 0) {
      this.analyser.getFloatTimeDomainData(this.#time);
      this.#db = dbfs(this.#time);
      this.#readAt = now;
    }
    return this.#db;
  }

  bands(count: number, into: Float32Array): Float32Array {
    const now = this.context.currentTime;
    if (now !== this.#bytesAt || now === 0) {
      this.analyser.getByteFrequencyData(this.#bytes);
      this.#bytesAt = now;
    }
    const bins = this.#bytes;
    const hzPerBin = this.context.sampleRate / this.analyser.fftSize;
    const top = Math.min(BANDS_TO_HZ, this.context.sampleRate / 2);
    const ratio = top / BANDS_FROM_HZ;
    for (let b = 0; b < count; b++) {
      // Log-spaced edges: each band covers the same musical interval, as hearing does.
      const from = BANDS_FROM_HZ * ratio ** (b / count);
      const to = BANDS_FROM_HZ * ratio ** ((b + 1) / count);
      const first = Math.min(bins.length - 1, Math.floor(from / hzPerBin));
      const last = Math.min(bins.length - 1, Math.max(first, Math.ceil(to / hzPerBin) - 1));
      let sum = 0;
      for (let i = first; i <= last; i++) sum += bins[i]!;
      into[b] = sum / (last - first + 1) / 255;
    }
    return into;
  }
}

const streamGraphs = new WeakMap<MediaStream, LevelGraph>();
const nodeGraphs = new WeakMap<AudioNode, LevelGraph>();

function graphForStream(stream: MediaStream): LevelGraph | null {
  let graph = streamGraphs.get(stream);
  if (graph) return graph;
  const Context = audioContextClass();
  if (!Context || stream.getAudioTracks().length === 0) return null;
  const context = new Context();
  // Created after a click, it runs; otherwise it starts with the page's first gesture.
  if (context.state === 'suspended') void context.resume().catch(() => {});
  const source = context.createMediaStreamSource(stream);
  graph = new LevelGraph(context, source, () => {
    source.disconnect();
    void context.close().catch(() => {});
  });
  streamGraphs.set(stream, graph);
  return graph;
}

function graphForNode(node: AudioNode): LevelGraph {
  const graph = nodeGraphs.get(node);
  if (graph) return graph;
  const created: LevelGraph = new LevelGraph(node.context, node, () => {
    try {
      node.disconnect(created.analyser);
    } catch {
      // already disconnected (the player's graph was closed)
    }
  });
  nodeGraphs.set(node, created);
  return created;
}

function acquire(graph: LevelGraph) {
  graph.refs++;
  return graph;
}

function releaseGraph(graph: LevelGraph, key: MediaStream | AudioNode) {
  if (--graph.refs > 0) return;
  graph.close();
  if (isStream(key)) streamGraphs.delete(key);
  else nodeGraphs.delete(key);
}

/**
 * A reader of levels. For a stream the graph is fixed; for a player (`{ outputNode }`) the node is looked up on
 * each read, so a reader made before the player loads (or across reloads) follows it.
 */
export class LevelReader implements AudioLevels {
  #source: LevelSource;
  #graph: LevelGraph | null = null;
  #key: MediaStream | AudioNode | null = null;
  #released = false;

  constructor(source: LevelSource) {
    this.#source = source;
    this.#resolve();
  }

  #resolve(): LevelGraph | null {
    if (this.#released) return null;
    const source = this.#source;
    const key = isStream(source) ? source : source.outputNode;
    if (key === this.#key) return this.#graph;
    this.#drop();
    if (!key) return null;
    const graph = isStream(key) ? graphForStream(key) : graphForNode(key);
    if (!graph) return null;
    this.#graph = acquire(graph);
    this.#key = key;
    return graph;
  }

  #drop() {
    if (this.#graph && this.#key) releaseGraph(this.#graph, this.#key);
    this.#graph = null;
    this.#key = null;
  }

  /** The level in dBFS (RMS over the last ~40 ms); -120 for silence or nothing to read. */
  getDbfs(): number {
    return this.#resolve()?.db() ?? SILENCE_DB;
  }

  getLevel(): number {
    return levelFromDb(this.getDbfs());
  }

  getBands(count: number, into?: Float32Array): Float32Array {
    const out = into && into.length >= count ? into : new Float32Array(count);
    const graph = this.#resolve();
    if (!graph) return out.fill(0, 0, count);
    return graph.bands(count, out);
  }

  release() {
    this.#drop();
    this.#released = true;
  }
}

const isStream = (source: unknown): source is MediaStream =>
  typeof MediaStream !== 'undefined' && source instanceof MediaStream;

/**
 * Levels of a microphone stream (e.g. `recorder.stream`) or a player (`{ outputNode }`), from one analyser graph
 * per stream or node however many readers there are. Read `getLevel()` / `getBands()` in requestAnimationFrame;
 * call `release()` when done (the graph closes with its last reader). On a server it reads zeros.
 */
export function audioLevels(source: LevelSource): LevelReader {
  return new LevelReader(source);
}
