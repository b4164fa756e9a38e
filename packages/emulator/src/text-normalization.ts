// The emulator's text normalisation: numbers are spelled out in English ("3.5" → "three point five",
// "1,200" → "one thousand two hundred"), as ElevenLabs' normaliser does for models that normalise. The speech
// says the normalised text; `normalized_alignment` times its characters, `alignment` the original ones.

export interface NormalizedText {
  text: string;
  /** For each code point of the original text, the code points [start, end) of the normalised text it became. */
  spans: [number, number][];
}

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES: [number, string][] = [
  [1e9, 'billion'],
  [1e6, 'million'],
  [1e3, 'thousand'],
];

function underThousand(n: number): string {
  const words: string[] = [];
  if (n >= 100) words.push(`${ONES[Math.floor(n / 100)]} hundred`);
  const rest = n % 100;
  if (rest >= 20) words.push(TENS[Math.floor(rest / 10)]! + (rest % 10 ? `-${ONES[rest % 10]}` : ''));
  else if (rest > 0 || n === 0) words.push(ONES[rest]!);
  return words.join(' ');
}

const digitByDigit = (digits: string) => [...digits].map((d) => ONES[Number(d)]).join(' ');

/** English words for a run of digits: a number up to 999 999 999 999, else (or with leading zeros) digit by digit. */
export function integerToWords(digits: string): string {
  if (digits.length > 12 || (digits.length > 1 && digits.startsWith('0'))) return digitByDigit(digits);
  let n = Number(digits);
  if (n < 1000) return underThousand(n);
  const words: string[] = [];
  for (const [scale, name] of SCALES) {
    if (n >= scale) {
      words.push(`${underThousand(Math.floor(n / scale))} ${name}`);
      n %= scale;
    }
  }
  if (n) words.push(underThousand(n));
  return words.join(' ');
}

const NUMBER = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/g;

function numberToWords(token: string): string {
  const [whole = '', fraction] = token.replaceAll(',', '').split('.');
  return integerToWords(whole) + (fraction ? ` point ${digitByDigit(fraction)}` : '');
}

/** Spells out numbers; every original character maps onto a non-empty, in-order run of the result. */
export function normalizeText(text: string): NormalizedText {
  const spans: [number, number][] = [];
  let out = '';
  let outLength = 0; // code points
  let last = 0;
  const copy = (piece: string) => {
    for (const ch of piece) {
      spans.push([outLength, outLength + 1]);
      out += ch;
      outLength++;
    }
  };
  for (const match of text.matchAll(NUMBER)) {
    copy(text.slice(last, match.index));
    const words = numberToWords(match[0]);
    const n = match[0].length; // digits, commas and dots: one code point each
    const m = words.length; // ASCII
    // Original character i takes its share of the words; m ≥ n always ("0" → "zero"), but stay non-empty anyway.
    for (let i = 0; i < n; i++) {
      const start = Math.min(m - 1, Math.floor((i * m) / n));
      const end = Math.max(start + 1, Math.floor(((i + 1) * m) / n));
      spans.push([outLength + start, outLength + end]);
    }
    out += words;
    outLength += m;
    last = match.index + n;
  }
  copy(text.slice(last));
  return { text: out, spans };
}
