/**
 * Tests that recognise the fake microphone's speech get a second take if the first fails: on a busy machine
 * Chromium's capture now and then loses tens of milliseconds in the middle of a phrase, which the emulator's decoder
 * cannot read through (the emulator logs "sound not recognised at …" when that happens). It is Chromium's fake
 * capture under load, not the kit: a bare MediaStreamSource → AudioWorklet shows the same gaps.
 */
export const SPEECH_RETRY = { retry: 1 };
