// What the fake microphone of the `microphone` Vitest project says (test/microphone-wav.ts writes the file).
// Chromium plays it once from the start of every capture it opens (`%noloop`: each getUserMedia after the previous
// tracks stopped starts it again), then silence (the file ends in a second of silence: at its end Chromium keeps repeating the last
// buffer). The lead is longer than the silence the recorder tests auto-stop
// after, to show that silence before any speech does not stop a take.

/** What the fake microphone says. */
export const MIC_TEXT = 'Recording one two three';
/** Silence before it (ms). */
export const MIC_LEAD_MS = 1500;
/** The WAV's rate: Chromium's own capture rate, so the file is played as written. */
export const MIC_RATE = 48_000;
