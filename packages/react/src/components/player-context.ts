// Which player a part controls (its `player` prop, or the nearest <AudioPlayer.Root>), and the snapshot fields it
// reads. Parts select only what they show, so a word change does not re-render the play button.
import type { PlayerSnapshot, SpeechPlayerApi } from '@elevenkit/core';
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';

export const PlayerContext = createContext<SpeechPlayerApi | null>(null);

/** The player a part binds to; throws a sentence naming the part when there is none. */
export function useResolvedPlayer(player: SpeechPlayerApi | undefined, part: string): SpeechPlayerApi {
  const fromContext = useContext(PlayerContext);
  const resolved = player ?? fromContext;
  if (!resolved) {
    throw new Error(`<${part}> needs a player: pass player={…} or render it inside <AudioPlayer.Root player={…}>.`);
  }
  return resolved;
}

/**
 * One value from the player's snapshot, through `useSyncExternalStore`: the component re-renders only when it
 * changes. `select` must return a primitive or a reference the snapshot already holds (such as `words`).
 * The server snapshot is the player's own, so parts render during SSR without touching the browser.
 */
export function usePlayerSelector<T>(player: SpeechPlayerApi, select: (snapshot: PlayerSnapshot) => T): T {
  const subscribe = useCallback((listener: () => void) => player.subscribe(listener), [player]);
  const read = () => select(player.getSnapshot());
  return useSyncExternalStore(subscribe, read, read);
}
