export { ElevenLabsConvai, ATTRIBUTES } from './convai-widget.ts';
export {
  resolveSettings,
  resolveOrigin,
  sessionOptions,
  DEFAULT_TEXT,
  SERVER_LOCATIONS,
  type WidgetConfig,
  type WidgetSettings,
  type TextContents,
} from './settings.ts';
