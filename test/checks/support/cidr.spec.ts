import assert from 'node:assert/strict';
import { parseCidr } from '../../../checks/support/cidr.js';

describe('parseCidr', () => {
  it('parses an IPv4 block', () => {
    assert.deepEqual(parseCidr('203.0.113.0/24'), { text: '203.0.113.0/24', family: 4, prefix: 24 });
  });

  it('parses the open IPv4 and IPv6 blocks with prefix 0', () => {
    assert.deepEqual(parseCidr('0.0.0.0/0'), { text: '0.0.0.0/0', family: 4, prefix: 0 });
    assert.deepEqual(parseCidr('::/0'), { text: '::/0', family: 6, prefix: 0 });
  });

  it('reads a bare address as a single host', () => {
    assert.deepEqual(parseCidr('198.51.100.7'), { text: '198.51.100.7', family: 4, prefix: 32 });
    assert.deepEqual(parseCidr('2001:db8::1'), { text: '2001:db8::1', family: 6, prefix: 128 });
  });

  it('parses compressed, full and IPv4-suffixed IPv6 blocks', () => {
    assert.equal(parseCidr('2001:db8::/32')?.prefix, 32);
    assert.equal(parseCidr('2001:0db8:0000:0000:0000:0000:0000:0000/48')?.prefix, 48);
    assert.equal(parseCidr('::ffff:192.0.2.0/120')?.family, 6);
    assert.equal(parseCidr('fe80::/10')?.prefix, 10);
  });

  it('is undefined for anything that is not a CIDR block', () => {
    const invalid = [
      '',
      '/8',
      '10.0.0.0/33',
      '10.0.0.0/08',
      '10.0.0.0/-1',
      '10.0.0.0/8/8',
      '256.0.0.0/8',
      '10.0.0/8',
      '01.0.0.0/8',
      ' 10.0.0.0/8',
      '10.0.0.0 /8',
      'example.com/24',
      '2001:db8::/129',
      '1::2::3/64',
      '1:2:3:4:5:6:7/64',
      '1:2:3:4:5:6:7:8:9/64',
      'g::/16',
      '12345::/16',
      '::ffff:300.0.0.1/120',
    ];
    for (const text of invalid) assert.equal(parseCidr(text), undefined, text);
  });
});
