// The WebM missing-duration fix. MediaRecorder writes WebM as a live stream: when it hands out pieces as it records
// (a timeslice, which the recorder always uses) the header has no Duration, so players show `Infinity` and cannot
// seek. Once the take is finished its length is known, and this writes it into the header.
//
// WebM is EBML: each element is an ID, a size and a body, the ID and size as variable-length integers (the count of
// leading zero bits in the first byte, plus one, is the length in bytes). The layout here is
//   EBML header · Segment (size often "unknown") { SeekHead? · Info { TimecodeScale, …, Duration? } · Tracks · Cluster… }
// The Duration (ID 0x4489) is a float in TimecodeScale units (default 1 ms) inside Info (ID 0x1549A966).

const EBML = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const SEEK_HEAD = 0x114d9b74;
const INFO = 0x1549a966;
const TIMECODE_SCALE = 0x2ad7b1;
const DURATION = 0x4489;
const TRACKS = 0x1654ae6b;
const CLUSTER = 0x1f43b675;

interface Vint {
  value: number;
  length: number;
  /** All value bits set: the size is "unknown" (a live stream). */
  unknown: boolean;
}

/** A variable-length integer at `pos`; `keepMarker` for IDs (written with their length marker). */
function readVint(bytes: Uint8Array, pos: number, keepMarker: boolean): Vint | null {
  const first = bytes[pos];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23; // leading zeros within the byte, plus one
  if (length > 8 || pos + length > bytes.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + bytes[pos + i]!;
    if (bytes[pos + i] !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

/** `value` as a size of exactly `length` bytes, or null if it does not fit. */
function sizeBytes(value: number, length: number): number[] | null {
  if (value >= 2 ** (7 * length) - 1) return null;
  const out: number[] = [];
  for (let i = length - 1; i >= 0; i--) out.push(Math.floor(value / 2 ** (8 * i)) % 256);
  out[0]! |= 0x80 >> (length - 1);
  return out;
}

interface Element {
  id: number;
  /** Where the element starts, its size field, and its body. */
  start: number;
  sizeAt: number;
  sizeLength: number;
  bodyAt: number;
  size: number;
  unknownSize: boolean;
}

function readElement(bytes: Uint8Array, pos: number): Element | null {
  const id = readVint(bytes, pos, true);
  if (!id) return null;
  const size = readVint(bytes, pos + id.length, false);
  if (!size) return null;
  return {
    id: id.value,
    start: pos,
    sizeAt: pos + id.length,
    sizeLength: size.length,
    bodyAt: pos + id.length + size.length,
    size: size.value,
    unknownSize: size.unknown,
  };
}

/**
 * The first bytes of a WebM file with its Duration set to `seconds`: the existing Duration overwritten, or one added
 * to Info. Returns null when the bytes are not WebM or the header is not fully inside them, and when adding bytes
 * would move elements a SeekHead points to (then the file is left as it is).
 */
export function withWebmDuration(head: Uint8Array, seconds: number): Uint8Array | null {
  const ebml = readElement(head, 0);
  if (!ebml || ebml.id !== EBML || ebml.unknownSize) return null;
  const segment = readElement(head, ebml.bodyAt + ebml.size);
  if (!segment || segment.id !== SEGMENT) return null;
  let seekHead = false;
  for (let pos = segment.bodyAt; pos < head.length;) {
    const element = readElement(head, pos);
    if (!element || element.unknownSize) return null;
    if (element.id === SEEK_HEAD) seekHead = true;
    if (element.id === TRACKS || element.id === CLUSTER) return null; // no Info before the audio
    if (element.id === INFO) return patchInfo(head, segment, element, seconds, seekHead);
    pos = element.bodyAt + element.size;
  }
  return null;
}

function patchInfo(head: Uint8Array, segment: Element, info: Element, seconds: number, seekHead: boolean) {
  const infoEnd = info.bodyAt + info.size;
  if (infoEnd > head.length) return null;
  let timecodeScale = 1_000_000; // ns per unit: the default, milliseconds
  let duration: Element | null = null;
  for (let pos = info.bodyAt; pos < infoEnd;) {
    const child = readElement(head, pos);
    if (!child || child.unknownSize) return null;
    if (child.id === TIMECODE_SCALE) {
      timecodeScale = 0;
      for (let i = 0; i < child.size; i++) timecodeScale = timecodeScale * 256 + head[child.bodyAt + i]!;
    }
    if (child.id === DURATION) duration = child;
    pos = child.bodyAt + child.size;
  }
  const units = (seconds * 1e9) / (timecodeScale || 1_000_000);

  if (duration && (duration.size === 4 || duration.size === 8)) {
    // Overwrite in place: nothing moves.
    const out = head.slice();
    const view = new DataView(out.buffer, duration.bodyAt, duration.size);
    if (duration.size === 8) view.setFloat64(0, units);
    else view.setFloat32(0, units);
    return out;
  }
  if (duration || seekHead) return null;

  // Add Duration (ID 44 89, size 88 = 8 bytes, a big-endian float64) at the end of Info, and grow Info's size (and
  // the Segment's, when it has one) in the size fields' own widths.
  const element = new Uint8Array(11);
  element.set([0x44, 0x89, 0x88]);
  new DataView(element.buffer).setFloat64(3, units);
  const infoSize = sizeBytes(info.size + element.length, info.sizeLength);
  if (!infoSize) return null;
  const out = new Uint8Array(head.length + element.length);
  out.set(head.subarray(0, infoEnd));
  out.set(infoSize, info.sizeAt);
  out.set(element, infoEnd);
  out.set(head.subarray(infoEnd), infoEnd + element.length);
  if (!segment.unknownSize) {
    const segmentSize = sizeBytes(segment.size + element.length, segment.sizeLength);
    if (!segmentSize) return null;
    out.set(segmentSize, segment.sizeAt);
  }
  return out;
}

/** How much of the file is read to find its header: Chromium's is about 300 bytes. */
const HEAD_BYTES = 64 * 1024;

/** The take with its duration in the header (the same Blob back when it cannot be patched). */
export async function fixWebmDuration(blob: Blob, seconds: number): Promise<Blob> {
  if (!(seconds > 0) || !Number.isFinite(seconds)) return blob;
  const head = new Uint8Array(await blob.slice(0, HEAD_BYTES).arrayBuffer());
  const patched = withWebmDuration(head, seconds);
  if (!patched) return blob;
  return new Blob([patched as Uint8Array<ArrayBuffer>, blob.slice(head.length)], { type: blob.type });
}
