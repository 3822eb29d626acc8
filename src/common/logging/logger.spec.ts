import { isPolledRoute } from './logger.js';

describe('polled routes (logged at debug)', () => {
  it.each([
    ['GET', '/health'],
    ['GET', '/health/ready'],
    ['GET', '/metrics'],
    ['GET', '/v1/envelopes/6f1c1c7e-6f43-4a8e-9d59-1b2f3c4d5e6f'],
    ['GET', '/s/abcDEF123/return?status=success'],
    ['GET', '/sandbox/api/v1/session/status/?session_id=1'],
  ])('%s %s is a poll', (method, url) => {
    expect(isPolledRoute(method, url)).toBe(true);
  });

  it.each([
    ['POST', '/v1/envelopes'],
    ['GET', '/v1/envelopes'],
    ['GET', '/v1/envelopes/6f1c/audit'],
    ['POST', '/v1/envelopes/6f1c'],
    ['GET', '/s/abcDEF123'],
    ['GET', '/healthy'],
    ['GET', undefined],
  ])('%s %s is logged at info', (method, url) => {
    expect(isPolledRoute(method, url)).toBe(false);
  });
});
