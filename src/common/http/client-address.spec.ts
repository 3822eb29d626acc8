import { clientBucket, parseTrustProxy } from './client-address.js';

describe('TRUST_PROXY', () => {
  it.each([
    ['false', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['loopback', ['loopback']],
    ['10.0.0.0/8, 192.168.1.10', ['10.0.0.0/8', '192.168.1.10']],
    ['fd00::/8,uniquelocal', ['fd00::/8', 'uniquelocal']],
    ['10.0.0.0/255.0.0.0', ['10.0.0.0/255.0.0.0']],
  ])('reads %s', (value, expected) => {
    expect(parseTrustProxy(value)).toEqual(expected);
  });

  it.each(['true', '10.0.0.0/33', 'proxy.example', '1.2.3', 'fd00::/129'])('refuses %s with a message', (value) => {
    expect(parseTrustProxy(value)).toEqual({ error: expect.stringMatching(/.+/) });
  });
});

describe('clientBucket', () => {
  it('keeps IPv4 addresses (plain or IPv4-mapped) whole', () => {
    expect(clientBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(clientBucket('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv6 client by its /64', () => {
    const bucket = clientBucket('2001:db8:1:2:aaaa:bbbb:cccc:dddd');
    expect(bucket).toBe('2001:db8:1:2::/64');
    expect(clientBucket('2001:0db8:0001:0002::1')).toBe(bucket);
    expect(clientBucket('2001:db8:1:3::1')).not.toBe(bucket);
    expect(clientBucket('::1')).toBe('0:0:0:0::/64');
    expect(clientBucket(undefined)).toBe('unknown');
  });
});
