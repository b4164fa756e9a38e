// Which compressed format MediaRecorder should write. Safari records AAC in MP4 and (since 18.4) claims WebM/Opus
// too, but its WebM takes have no usable duration and fail to play back, so MP4/AAC comes first. Chromium answers
// no to MP4/AAC and yes to WebM/Opus, which every browser and ElevenLabs' speech to text read; its plain `audio/mp4`
// (Opus in MP4) comes after, then Firefox's Ogg.

/** Tried in this order. */
export const COMPRESSED_TYPES = [
  'audio/mp4;codecs=mp4a.40.2',
  'audio/webm;codecs=opus',
  'audio/mp4',
  'audio/ogg;codecs=opus',
  'audio/webm',
  'audio/ogg',
] as const;

/**
 * The MIME type to record: `preferred` when the browser supports it, else the first supported of COMPRESSED_TYPES;
 * null when MediaRecorder supports none of them (or there is no MediaRecorder).
 */
export function chooseMimeType(
  preferred?: string,
  isTypeSupported: ((type: string) => boolean) | undefined = globalThis.MediaRecorder?.isTypeSupported?.bind(
    globalThis.MediaRecorder,
  ),
): string | null {
  if (!isTypeSupported) return null;
  const supported = (type: string) => {
    try {
      return isTypeSupported(type);
    } catch {
      return false;
    }
  };
  if (preferred && supported(preferred)) return preferred;
  return COMPRESSED_TYPES.find(supported) ?? null;
}

/** The container of a MIME type: what decides whether the WebM duration fix applies. */
export const isWebm = (mimeType: string) => /^(audio|video)\/webm\b/i.test(mimeType);
