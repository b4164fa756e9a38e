export { Store, type ReadableStore } from './store.ts';
export {
  ElevenkitError,
  microphoneError,
  recorderError,
  recorderErrorReason,
  type ElevenkitErrorCode,
} from './errors.ts';
export { fetchSignedUrl } from './signed-url.ts';
export {
  ConversationSession,
  type ConversationSnapshot,
  type SessionOptions,
  type SessionStatus,
} from './conversation-session.ts';
export * from './transcript.ts';
export * from './word-timeline.ts';
export type * from './speech-player-types.ts';
export { INITIAL_PLAYER_SNAPSHOT, SpeechPlayer } from './speech-player.ts';
export { SpeechPlayerError } from './player/errors.ts';
export { PCM_WORKLET_SOURCE } from './player/pcm-worklet.ts';
export { defaultSpeechFormat } from './player/format.ts';
export { openMicrophone } from './recorder/device-choice.ts';
export type * from './recorder-types.ts';
export {
  BatchTranscriber,
  RealtimeTranscriber,
  TranscriptionFailure,
  createTranscriber,
  INITIAL_TRANSCRIPTION_SNAPSHOT,
  BATCH_TRANSCRIPTION_ENDPOINT,
  REALTIME_TOKEN_ENDPOINT,
} from './transcription.ts';
export { capturePcm, type PcmCapture, type PcmCaptureOptions } from './pcm-capture.ts';
export { INITIAL_RECORDER_SNAPSHOT, Recorder, RecorderFailure } from './recorder.ts';
export { INITIAL_MEDIA_DEVICES_SNAPSHOT, MediaDevicesStore } from './media-devices.ts';
export { audioLevels, dbfs, levelFromDb, LevelReader } from './audio-levels.ts';
export { CAPTURE_WORKLET_SOURCE } from './recorder/capture-worklet.ts';
export { encodeWav } from './recorder/wav.ts';
export { fixWebmDuration } from './recorder/webm-duration.ts';
