// @elevenkit/react: hooks over the core engines, and the player's components.
export { useAudioPlayer, sourceKey, type AudioPlayerState } from './use-audio-player.ts';
export { useSpeech, useTextToSpeech, type SpeechOptions } from './use-speech.ts';
export { useWordTimeline, type WordTimelineState } from './use-word-timeline.ts';
export * from './components/index.ts';
export { useTranscription, type UseTranscriptionOptions, type TranscriptionState } from './use-transcription.ts';
