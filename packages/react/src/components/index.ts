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
// The recorder's components: every part takes `recorder` (a `RecorderApi`) or reads it from <Recorder.Root>; the
// visualizers take a stream, a player or a getter, and never open the microphone.
export {
  Recorder,
  RecorderRoot,
  RecorderRecordButton,
  RecorderPauseButton,
  RecorderStopButton,
  RecorderCancelButton,
  RecorderTimer,
  RecorderStatus,
  RecorderPlayback,
  RECORDER_ERROR_MESSAGES,
  RECORDER_STATUS_MESSAGES,
  recorderErrorMessage,
  type RecorderRootProps,
  type RecorderRecordButtonLabels,
  type RecorderRecordButtonProps,
  type RecorderPauseButtonProps,
  type RecorderStopButtonProps,
  type RecorderCancelButtonProps,
  type RecorderTimerProps,
  type RecorderStatusMessages,
  type RecorderStatusProps,
  type RecorderPlaybackProps,
} from './recorder.tsx';
export { LevelMeter, type LevelMeterProps } from './level-meter.tsx';
export { LiveWaveform, type LiveWaveformProps } from './live-waveform.tsx';
export { MicSelector, type MicSelectorProps } from './mic-selector.tsx';
export { SpeechInput, insertDictation, type SpeechInputProps, type SpeechInputMessages } from './speech-input.tsx';
