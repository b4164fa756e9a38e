// useTranscription in jsdom: one transcriber per mode, renders that follow its snapshot, release on unmount.
import { BatchTranscriber, RealtimeTranscriber, type TranscriberApi } from '@elevenkit/core';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from './components/test-render.tsx';
import { TestTranscriber } from './components/test-transcriber.ts';
import { useTranscription, type TranscriptionState, type UseTranscriptionOptions } from './use-transcription.ts';

afterEach(() => cleanup());

function Probe(props: { options: UseTranscriptionOptions; onState: (state: TranscriptionState) => void }) {
  const state = useTranscription(props.options);
  props.onState(state);
  return (
    <p>
      {state.snapshot.status}: {state.snapshot.text} <i>{state.snapshot.partial}</i>
    </p>
  );
}

describe('useTranscription', () => {
  it('makes a batch or a realtime transcriber, one for the component', () => {
    const seen: TranscriberApi[] = [];
    render(<Probe options={{ mode: 'batch' }} onState={(s) => seen.push(s.transcriber)} />);
    expect(seen[0]).toBeInstanceOf(BatchTranscriber);
    expect(new Set(seen).size).toBe(1);
    cleanup();
    const realtime: TranscriberApi[] = [];
    render(<Probe options={{ mode: 'realtime' }} onState={(s) => realtime.push(s.transcriber)} />);
    expect(realtime[0]).toBeInstanceOf(RealtimeTranscriber);
  });

  it('renders what the transcriber says', () => {
    const transcriber = new TestTranscriber();
    const page = render(<Probe options={{ mode: 'realtime', transcriber }} onState={() => {}} />);
    expect(page.textContent).toBe('idle:  ');
    act(() => transcriber.set({ status: 'transcribing' }));
    act(() => transcriber.hear('hello'));
    expect(page.querySelector('i')?.textContent).toBe('hello');
    act(() => transcriber.commitText('hello world'));
    expect(page.textContent).toBe('transcribing: hello world ');
  });

  it('batch: transcribe(take) resolves with the words and the snapshot holds them', async () => {
    const transcriber = new TestTranscriber();
    let state!: TranscriptionState;
    const page = render(<Probe options={{ mode: 'batch', transcriber }} onState={(s) => (state = s)} />);
    const result = await act(() => state.transcribe(new Blob([new Uint8Array(10)])));
    expect(result.text).toBe('from the take');
    expect(page.textContent).toBe('done: from the take ');
  });

  it('a transcriber it did not make is not destroyed on unmount', () => {
    const transcriber = new TestTranscriber();
    render(<Probe options={{ mode: 'realtime', transcriber }} onState={() => {}} />);
    cleanup();
    expect(transcriber.calls).not.toContain('destroy');
  });
});
