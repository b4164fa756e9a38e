// Times for people: "1:05" on screen, "1 minute, 5 seconds" for screen readers (a slider's `aria-valuetext`).

/**
 * Whole seconds. Media clocks land a hair before the time asked for (a seek to 5 reads back 4.9999993), so a
 * millisecond short of a second counts as that second.
 */
const whole = (seconds: number) => (Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds + 0.001) : 0);

/** `m:ss`, or `h:mm:ss` from an hour; negative, NaN and Infinity show as 0:00. */
export function formatTime(seconds: number): string {
  const total = whole(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

const unit = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`;

/** A spoken phrase: "0 seconds", "1 minute, 5 seconds", "1 hour, 2 minutes" (whole seconds, English). */
export function formatTimePhrase(seconds: number): string {
  const total = whole(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts: string[] = [];
  if (h) parts.push(unit(h, 'hour'));
  if (m) parts.push(unit(m, 'minute'));
  if (s || parts.length === 0) parts.push(unit(s, 'second'));
  return parts.join(', ');
}

/**
 * The default `aria-valuetext` of a seek slider: "5 seconds of 1 minute, 2 seconds"; while the audio is still
 * arriving, "5 seconds of about 12 seconds, 4 seconds loaded" when the total is an estimate beyond what has arrived,
 * else "5 seconds of 4 seconds loaded so far".
 */
export function formatSeekValueText(current: number, total: number, complete: boolean, buffered = total): string {
  const at = formatTimePhrase(Math.min(current, total));
  if (complete) return `${at} of ${formatTimePhrase(total)}`;
  if (whole(total) > whole(buffered))
    return `${at} of about ${formatTimePhrase(total)}, ${formatTimePhrase(buffered)} loaded`;
  return `${at} of ${formatTimePhrase(total)} loaded so far`;
}
