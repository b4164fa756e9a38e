// The player's components: headless parts with `ek-*` class names and `data-*` states, styled by the optional
// `styles.css`. Every part takes `player` (a `SpeechPlayerApi`) or reads it from <AudioPlayer.Root>.
export {
  AudioPlayer,
  AudioPlayerRoot,
  AudioPlayerPlayButton,
  AudioPlayerTime,
  AudioPlayerDuration,
  AudioPlayerStatus,
  AudioPlayerRate,
  AudioPlayerVolume,
  AudioPlayerMute,
  AudioPlayerDownload,
  playActionFor,
  type AudioPlayerRootProps,
  type PlayAction,
  type AudioPlayerPlayButtonLabels,
  type AudioPlayerPlayButtonProps,
  type AudioPlayerTimeProps,
  type AudioPlayerDurationProps,
  type AudioPlayerStatusMessages,
  type AudioPlayerStatusProps,
  type AudioPlayerRateProps,
  type AudioPlayerVolumeProps,
  type AudioPlayerMuteProps,
  type AudioPlayerDownloadProps,
} from './audio-player.tsx';
export { AudioPlayerScrubBar, type AudioPlayerScrubBarProps } from './scrub-bar.tsx';
export { useSeekSlider, seekableLength, trackLength, type SeekSlider, type SeekSliderOptions } from './seek-slider.ts';
export {
  TranscriptViewer,
  wordProgress,
  seekToWordStart,
  type TranscriptViewerProps,
  type WordProgress,
  type WordStatus,
} from './transcript-viewer.tsx';
export { Waveform, type WaveformProps } from './waveform.tsx';
export { formatTime, formatTimePhrase, formatSeekValueText } from './format-time.ts';
export {
  SpeechInput,
  insertDictation,
  type SpeechInputProps,
  type SpeechInputMessages,
} from './speech-input.tsx';
