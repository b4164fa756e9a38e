// useAudioPlayer: a SpeechPlayer for the component's lifetime, loading `source` (again when it changes), bound with
// useSyncExternalStore. Renders follow the snapshot (state changes, arriving audio, the spoken word), never frames.
import {
  SpeechPlayer,
  type PlayerOptions,
  type PlayerSnapshot,
  type SpeechSource,
  type SpeechTextInput,
} from '@elevenkit/core';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';

export interface AudioPlayerState {
  /** The engine: play, pause, seek…, and the per-frame getters (`getCurrentTime`, `getLevel`…). */
  player: SpeechPlayer;
  snapshot: PlayerSnapshot;
  /** For a `websocket` source: feeds it text (`append`, `flush`, `end`) once it has loaded; null otherwise. */
  input: SpeechTextInput | null;
}

/**
 * Plays `source` (nothing while it is null or undefined). The player is made once, with the options of the first
 * render; it stops its audio and frees everything on unmount. A new source is loaded when it differs in value, so
 * an inline object literal does not reload on every render:
 *
 * ```tsx
 * const { player, snapshot } = useAudioPlayer({ type: 'url', url: '/hello.mp3' });
 * <button onClick={() => player.play()} disabled={snapshot.status === 'loading'}>Play</button>
 * ```
 *
 * Safe in StrictMode (the double mount loads once) and during server rendering (nothing runs until an effect).
 */
export function useAudioPlayer(source: SpeechSource | null | undefined, options?: PlayerOptions): AudioPlayerState {
  const [player] = useState(() => new SpeechPlayer(options));
  const snapshot = useSyncExternalStore(player.subscribe, player.getSnapshot, player.getSnapshot);
  const [input, setInput] = useState<{ input: SpeechTextInput; key: string } | null>(null);
  const key = source ? sourceKey(source) : null;
  const latest = useRef(source);
  useEffect(() => {
    latest.current = source;
  });

  useEffect(() => () => player.destroy(), [player]);

  useEffect(() => {
    const current = latest.current;
    if (!current || key === null) {
      player.destroy();
      return;
    }
    let cancelled = false;
    // A microtask later: StrictMode's mount-unmount-mount cancels the first one, so the text is requested once.
    void Promise.resolve().then(async () => {
      if (cancelled) return;
      const loaded = await player.load(current);
      if (!cancelled && loaded) setInput({ input: loaded, key });
    });
    return () => {
      cancelled = true;
    };
  }, [player, key]);

  return { player, snapshot, input: input && input.key === key ? input.input : null };
}

const blobIds = new WeakMap<Blob, number>();
let nextBlobId = 1;

/** A string that is equal for sources that load the same audio. */
export function sourceKey(source: SpeechSource): string {
  switch (source.type) {
    case 'url':
      return `url ${source.url}`;
    case 'blob': {
      let id = blobIds.get(source.blob);
      if (id === undefined) blobIds.set(source.blob, (id = nextBlobId++));
      return `blob ${id}`;
    }
    case 'stream': {
      const { method, headers, body } = source.init ?? {};
      const headerList = headers ? [...new Headers(headers).entries()] : [];
      const bodyKey = typeof body === 'string' || body === undefined || body === null ? body : `[${typeof body}]`;
      return `stream ${JSON.stringify([source.url, method, headerList, bodyKey, source.format, source.timestamps])}`;
    }
    case 'websocket':
      return `websocket ${JSON.stringify([source.url, source.format, source.init ?? null])}`;
  }
}
