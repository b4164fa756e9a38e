// The `webaudio` path, for browsers without AudioWorklet: each run of received PCM becomes an AudioBuffer scheduled
// right after the previous one on the audio clock, so chunks play back to back. The position comes from the
// audio clock and the schedule, so a gap (an underrun) does not count as played time.
import type { AudioGraph } from './audio-graph.ts';
import type { OutputEvents, PlaybackOutput } from './output.ts';
import type { SampleStore } from './samples.ts';

interface Segment {
  node: AudioBufferSourceNode;
  /** Source samples [from, to) … */
  from: number;
  to: number;
  /** … play from audio-clock `when` to `end`. */
  when: number;
  end: number;
}

export class WebAudioOutput implements PlaybackOutput {
  readonly path = 'webaudio';
  readonly #graph: AudioGraph;
  readonly #store: SampleStore;
  readonly #sourceRate: number;
  readonly #events: OutputEvents;
  #segments: Segment[] = [];
  /** Samples scheduled so far (while running). */
  #scheduled = 0;
  /** The position while nothing is scheduled. */
  #position = 0;
  #running = false;
  /** Where the current run started: the heard position does not go back behind it. */
  #runFrom = 0;
  #playing = false;
  #inputEnded = false;
  #ready = false;
  #rate = 1;

  constructor(graph: AudioGraph, store: SampleStore, sourceRate: number, events: OutputEvents) {
    this.#graph = graph;
    this.#store = store;
    this.#sourceRate = sourceRate;
    this.#events = events;
  }

  samplesAdded() {
    if (!this.#ready && this.#store.length > 0) {
      this.#ready = true;
      this.#events.ready();
    }
    if (!this.#playing) return;
    if (this.#running) this.#schedule();
    else this.#run();
  }

  end() {
    this.#inputEnded = true;
    if (this.#playing && !this.#running && this.#position >= this.#store.length) this.#events.ended();
  }

  async play() {
    this.#playing = true;
    this.#run();
  }

  pause() {
    this.#position = this.#current();
    this.#stopAll();
    this.#playing = false;
  }

  seek(seconds: number) {
    this.#position = Math.max(0, Math.min(this.#store.length, Math.round(seconds * this.#sourceRate)));
    this.#stopAll();
    if (this.#playing) this.#run();
  }

  setRate(rate: number) {
    this.#position = this.#current();
    this.#stopAll();
    this.#rate = rate;
    if (this.#playing) this.#run();
  }

  currentTime() {
    const seconds = this.#current() / this.#sourceRate;
    if (!this.#running) return seconds;
    // What is heard now left the graph one output latency ago (but not before this run started).
    return Math.max(this.#runFrom / this.#sourceRate, seconds - this.#graph.latency() * this.#rate);
  }

  duration() {
    return this.#inputEnded ? this.#store.length / this.#sourceRate : null;
  }

  destroy() {
    this.#playing = false;
    this.#stopAll();
  }

  #run() {
    if (this.#running) return;
    if (this.#position >= this.#store.length) {
      if (this.#inputEnded) this.#events.ended();
      else this.#events.starved(true);
      return;
    }
    this.#running = true;
    this.#runFrom = this.#position;
    this.#scheduled = this.#position;
    this.#schedule();
    this.#events.starved(false);
  }

  #schedule() {
    const context = this.#graph.context;
    const length = this.#store.length;
    if (this.#scheduled >= length) return;
    const samples = this.#store.slice(this.#scheduled, length);
    const buffer = context.createBuffer(1, samples.length, this.#sourceRate);
    buffer.copyToChannel(samples, 0);
    const node = context.createBufferSource();
    node.buffer = buffer;
    node.playbackRate.value = this.#rate;
    node.connect(this.#graph.input);
    const last = this.#segments.at(-1);
    // Right after the previous buffer; if that has already finished (an underrun), now.
    const when = Math.max(last?.end ?? 0, context.currentTime);
    const segment = {
      node,
      from: this.#scheduled,
      to: length,
      when,
      end: when + samples.length / this.#sourceRate / this.#rate,
    };
    node.onended = () => this.#segmentEnded(segment);
    node.start(when);
    this.#segments.push(segment);
    this.#scheduled = length;
  }

  #segmentEnded(segment: Segment) {
    const index = this.#segments.indexOf(segment);
    if (index < 0) return;
    if (index < this.#segments.length - 1) {
      // Played; the next one is already scheduled after it.
      segment.node.disconnect();
      this.#segments.splice(index, 1);
      return;
    }
    // The last scheduled buffer has played: all received audio is out.
    this.#position = segment.to;
    this.#stopAll();
    if (this.#inputEnded && this.#position >= this.#store.length) this.#events.ended();
    else if (this.#position < this.#store.length) this.#run();
    else this.#events.starved(true);
  }

  /** Source samples played, from the schedule and the audio clock. */
  #current() {
    if (!this.#running) return this.#position;
    const now = this.#graph.context.currentTime;
    let position = this.#segments[0]?.from ?? this.#position;
    for (const s of this.#segments) {
      if (now < s.when) break;
      position = now >= s.end ? s.to : s.from + (now - s.when) * this.#sourceRate * this.#rate;
    }
    return position;
  }

  #stopAll() {
    for (const { node } of this.#segments) {
      node.onended = null;
      try {
        node.stop();
      } catch {
        // never started
      }
      node.disconnect();
    }
    this.#segments = [];
    this.#running = false;
  }
}
