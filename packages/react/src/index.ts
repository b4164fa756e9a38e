// @elevenkit/react: hooks over the core engines, and the player's and the recorder's components.
export { useAudioPlayer, sourceKey, type AudioPlayerState } from './use-audio-player.ts';
export { useSpeech, useTextToSpeech, type SpeechOptions } from './use-speech.ts';
export { useWordTimeline, type WordTimelineState } from './use-word-timeline.ts';
export { useRecorder, type RecorderState } from './use-recorder.ts';
export { useMediaDevices, useMediaDevicesSnapshot, type MediaDevicesState } from './use-media-devices.ts';
export { useAudioLevels, type LevelInput, type LevelGetters } from './use-audio-levels.ts';
export * from './components/index.ts';
export { useTranscription, type UseTranscriptionOptions, type TranscriptionState } from './use-transcription.ts';
