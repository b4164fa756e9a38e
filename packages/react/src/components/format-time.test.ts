import { describe, expect, it } from 'vitest';
import { formatSeekValueText, formatTime, formatTimePhrase } from './format-time.ts';

describe('formatTime', () => {
  it('shows m:ss, and h:mm:ss from an hour', () => {
    expect(formatTime(0)).toBe('0:00');
    expect(formatTime(65.9)).toBe('1:05');
    expect(formatTime(3723)).toBe('1:02:03');
  });
  it('shows nonsense as 0:00', () => {
    expect([NaN, Infinity, -3].map(formatTime)).toEqual(['0:00', '0:00', '0:00']);
  });
  it('reads a media clock a hair short of a second as that second', () => {
    expect(formatTime(4.9999993)).toBe('0:05');
    expect(formatTimePhrase(2.9999993)).toBe('3 seconds');
  });
});

describe('formatTimePhrase', () => {
  it('speaks hours, minutes and seconds', () => {
    expect(formatTimePhrase(0)).toBe('0 seconds');
    expect(formatTimePhrase(1)).toBe('1 second');
    expect(formatTimePhrase(61)).toBe('1 minute, 1 second');
    expect(formatTimePhrase(7200)).toBe('2 hours');
    expect(formatTimePhrase(3725)).toBe('1 hour, 2 minutes, 5 seconds');
  });
  it('says when the length is still growing', () => {
    expect(formatSeekValueText(5, 12.4, false)).toBe('5 seconds of 12 seconds loaded so far');
    expect(formatSeekValueText(13, 12.4, true)).toBe('12 seconds of 12 seconds');
  });
});
