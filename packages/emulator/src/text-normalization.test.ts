import { describe, expect, it } from 'vitest';
import { integerToWords, normalizeText } from './text-normalization.ts';

describe('integerToWords', () => {
  it('spells whole numbers in English', () => {
    const cases: [string, string][] = [
      ['0', 'zero'],
      ['7', 'seven'],
      ['13', 'thirteen'],
      ['42', 'forty-two'],
      ['100', 'one hundred'],
      ['305', 'three hundred five'],
      ['2025', 'two thousand twenty-five'],
      ['1000000', 'one million'],
      [
        '987654321012',
        'nine hundred eighty-seven billion six hundred fifty-four million three hundred twenty-one thousand twelve',
      ],
    ];
    for (const [digits, words] of cases) expect(integerToWords(digits)).toBe(words);
  });

  it('reads leading zeros and very long runs digit by digit', () => {
    expect(integerToWords('007')).toBe('zero zero seven');
    expect(integerToWords('1234567890123')).toBe('one two three four five six seven eight nine zero one two three');
  });
});

describe('normalizeText', () => {
  it('spells out numbers, decimals and thousands separators, leaving the rest alone', () => {
    expect(normalizeText('I have 3 cats.').text).toBe('I have three cats.');
    expect(normalizeText('Pi is 3.14, not 1,200!').text).toBe(
      'Pi is three point one four, not one thousand two hundred!',
    );
    expect(normalizeText('No numbers here… ✓').text).toBe('No numbers here… ✓');
  });

  it('maps every original character onto a non-empty run of the result, in order, covering it all', () => {
    for (const text of ['I have 3 cats.', 'Pi is 3.14, not 1,200!', '42', 'a1b22c333', 'émoji 😀 5']) {
      const { text: out, spans } = normalizeText(text);
      expect(spans).toHaveLength([...text].length);
      let next = 0;
      for (const [start, end] of spans) {
        expect(start).toBe(next);
        expect(end).toBeGreaterThan(start);
        next = end;
      }
      expect(next).toBe([...out].length);
    }
    const { text: out, spans } = normalizeText('3 cats');
    expect([...out].slice(...spans[0]!).join('')).toBe('three');
    expect([...out].slice(...spans[2]!).join('')).toBe('c');
  });
});
