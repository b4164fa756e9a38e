// ipGroup: what an anonymous caller is counted as. The rate limiter's behaviour with it is in security.test.ts.
import { describe, expect, it } from 'vitest';
import { ipGroup } from './client-ip.ts';

describe('ipGroup', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6, and reduces IPv6 to its /64 however it is written', () => {
    expect(ipGroup('203.0.113.9')).toBe('203.0.113.9');
    expect(ipGroup('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(ipGroup('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(ipGroup('2001:0DB8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(ipGroup('[2001:db8::1]')).toBe('2001:db8:0:0::/64');
    expect(ipGroup('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(ipGroup('::1')).toBe('0:0:0:0::/64');
  });

  it('keeps what is not an address as written, without throwing', () => {
    for (const odd of ['1:2:3:4:5:6:7:8::9', 'a::b::c', '1:2:3', 'g::1', '::ffff:1.2.3.4.5', 'unknown', '']) {
      expect(ipGroup(odd)).toBe(odd);
    }
  });
});
