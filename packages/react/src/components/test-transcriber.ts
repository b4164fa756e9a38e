// A TranscriberApi whose state the test sets, for jsdom tests of useTranscription and SpeechInput. It is not a
// stand-in for the engine's behaviour (the Chromium tests and stories use the real transcribers against the
// emulator); it lets keyboard and ARIA tests put the components in each state directly.
import {
  INITIAL_TRANSCRIPTION_SNAPSHOT,
  Store,
  type SpeechTranscript,
  type TranscriberApi,
  type TranscriptionSnapshot,
} from '@elevenkit/core';

export class TestTranscriber extends Store<TranscriptionSnapshot> implements TranscriberApi {
  readonly calls: string[] = [];
  /** What `start` does: connect and start listening (the default), or fail. */
  startWith: 'transcribing' | 'connecting' | 'error' = 'transcribing';

  constructor(patch: Partial<TranscriptionSnapshot> = {}) {
    super({ ...INITIAL_TRANSCRIPTION_SNAPSHOT, ...patch });
  }

  set(patch: Partial<TranscriptionSnapshot>) {
    this.update(patch);
  }

  /** The service heard `text` (not final yet). */
  hear(text: string) {
    this.update({ partial: text });
  }

  /** The service committed `text`. */
  commitText(text: string) {
    const committed = [...this.getSnapshot().committed, { text, words: [] }];
    this.update({ partial: '', committed, text: committed.map((c) => c.text).join(' ') });
  }

  transcribe = async (take: Blob): Promise<SpeechTranscript> => {
    this.calls.push(`transcribe ${take.size}`);
    const result = { text: 'from the take', words: [] };
    this.update({ status: 'done', committed: [result], text: result.text });
    return result;
  };

  start = async () => {
    this.calls.push('start');
    if (this.startWith === 'error') {
      this.update({ status: 'error', error: { code: 'auth', message: 'The token was refused.' } });
      return;
    }
    this.update({ status: this.startWith });
  };

  commit = () => void this.calls.push('commit');

  pause = async () => {
    this.calls.push('pause');
    this.update({ status: 'paused' });
  };

  resume = () => {
    this.calls.push('resume');
    this.update({ status: 'transcribing' });
  };

  switchStream = async () => void this.calls.push('switchStream');

  stop = async () => {
    this.calls.push('stop');
    const { partial, committed } = this.getSnapshot();
    const all = partial ? [...committed, { text: partial, words: [] }] : committed;
    this.update({ status: 'done', partial: '', committed: all, text: all.map((c) => c.text).join(' ') });
  };

  reset = () => {
    this.calls.push('reset');
    this.update(INITIAL_TRANSCRIPTION_SNAPSHOT);
  };

  destroy = () => void this.calls.push('destroy');
}

/** A stand-in microphone stream whose tracks record whether they were stopped. */
export function fakeStream() {
  const track = {
    stopped: false,
    stop() {
      this.stopped = true;
    },
    kind: 'audio',
  };
  const stream = { getTracks: () => [track], getAudioTracks: () => [track] } as unknown as MediaStream;
  return { stream, track };
}
