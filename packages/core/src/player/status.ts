// The player's status as a function of what is true about it, so every event only changes a fact and the status
// never disagrees with them.
import type { PlayerStatus } from '../speech-player-types.ts';

export interface PlaybackFacts {
  /** A source is loaded (or loading). */
  loaded: boolean;
  failed: boolean;
  /** Some audio can be played. */
  ready: boolean;
  /** play() was asked for (and not paused since). */
  wantsToPlay: boolean;
  /** The browser refused to start audio without a user gesture. */
  blocked: boolean;
  /**
   * Starting was asked of the output and not yet confirmed or refused: the player keeps showing the status it had
   * (no "playing" that turns out refused). Not read here.
   */
  starting: boolean;
  /** Playing ran out of received audio before the end. */
  starved: boolean;
  ended: boolean;
}

export function playerStatus(f: PlaybackFacts): PlayerStatus {
  if (f.failed) return 'error';
  if (!f.loaded) return 'idle';
  if (f.ended) return 'ended';
  if (!f.wantsToPlay) return f.ready ? 'paused' : 'loading';
  if (f.blocked) return 'needs-user-gesture';
  if (!f.ready) return 'loading';
  return f.starved ? 'buffering' : 'playing';
}
