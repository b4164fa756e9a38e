// The components' input in jsdom tests: an object implementing `SpeechPlayerApi` whose state the test sets. It is
// not a stand-in for the engine's behaviour (stories and the demo use the real SpeechPlayer against the emulator);
// it lets keyboard and ARIA tests put the components in each state directly.
import {
  INITIAL_PLAYER_SNAPSHOT,
  Store,
  type PlayerSnapshot,
  type SpeechPlayerApi,
  type TimedWord,
} from '@elevenkit/core';

export const INITIAL_SNAPSHOT = INITIAL_PLAYER_SNAPSHOT;

export class TestPlayer extends Store<PlayerSnapshot> implements SpeechPlayerApi {
  time = 0;
  readonly calls: [string, ...unknown[]][] = [];
  peaks: (count: number) => Float32Array = (count) => new Float32Array(count).fill(0.5);
  blob: Blob | null = null;

  constructor(patch: Partial<PlayerSnapshot> = {}) {
    super({ ...INITIAL_SNAPSHOT, ...patch });
  }

  set(patch: Partial<PlayerSnapshot>) {
    this.update(patch);
  }

  /** Loaded, paused, `seconds` long, with these words. */
  static loaded(seconds: number, words: TimedWord[] = []) {
    return new TestPlayer({ status: 'paused', buffered: seconds, duration: seconds, complete: true, words });
  }

  load = async () => void this.calls.push(['load']);
  retry = async () => void this.calls.push(['retry']);
  play = async () => {
    this.calls.push(['play']);
    this.update({ status: 'playing' });
  };
  pause = () => {
    this.calls.push(['pause']);
    this.update({ status: 'paused' });
  };
  stop = () => void this.calls.push(['stop']);
  /** Lags `lag` seconds behind the words, as MP3 does: the active word is the last started by `time - lag`. */
  lag = 0;
  seek = (time: number) => {
    this.calls.push(['seek', time]);
    this.time = time;
    const { words } = this.getSnapshot();
    this.update({ activeWord: words.findLastIndex((word) => word.start <= time - this.lag) });
  };
  setRate = (rate: number) => {
    this.calls.push(['setRate', rate]);
    this.update({ rate });
  };
  setVolume = (volume: number) => {
    this.calls.push(['setVolume', volume]);
    this.update({ volume });
  };
  setMuted = (muted: boolean) => {
    this.calls.push(['setMuted', muted]);
    this.update({ muted });
  };
  setSinkId = async () => void this.calls.push(['setSinkId']);
  unlock = async () => void this.calls.push(['unlock']);
  download = () => this.blob;
  getCurrentTime = () => this.time;
  getLevel = () => 0;
  getFrequencyData = () => null;
  getPeaks = (count: number) => this.peaks(count);
  destroy = () => void this.calls.push(['destroy']);
}
