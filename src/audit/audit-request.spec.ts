import { auditContextOf } from './audit-request.js';

describe('auditContextOf', () => {
  it('takes the resolved client address and the user agent', () => {
    expect(auditContextOf({ ip: '203.0.113.9', headers: { 'user-agent': 'Mozilla/5.0' } })).toEqual({ ip: '203.0.113.9', userAgent: 'Mozilla/5.0' });
  });

  it('shows IPv4 peers of a dual-stack socket as IPv4', () => {
    expect(auditContextOf({ ip: '::ffff:198.51.100.4', headers: {} })).toEqual({ ip: '198.51.100.4', userAgent: null });
  });

  it('caps a long user agent', () => {
    expect(auditContextOf({ ip: undefined, headers: { 'user-agent': 'x'.repeat(2000) } }).userAgent).toHaveLength(512);
  });
});
