import { ConfigError, loadConfig } from './app-config.js';

describe('webhook delivery configuration', () => {
  it('has defaults that leave workers free for other organisations', () => {
    const config = loadConfig({ PORT: '3000' });
    expect([config.WEBHOOK_WORKERS, config.WEBHOOK_ORGANISATION_CONCURRENCY, config.WEBHOOK_ENDPOINT_CONCURRENCY]).toEqual([8, 4, 2]);
    expect([config.WEBHOOK_BREAKER_THRESHOLD, config.WEBHOOK_BREAKER_COOLDOWN_SECONDS, config.LINK_OPEN_WINDOW_SECONDS]).toEqual([5, 60, 300]);
  });

  it('refuses as many workers as one organisation may use, naming both settings', () => {
    expect(() => loadConfig({ PORT: '3000', WEBHOOK_WORKERS: '4', WEBHOOK_ORGANISATION_CONCURRENCY: '4' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '3000', WEBHOOK_WORKERS: '4', WEBHOOK_ORGANISATION_CONCURRENCY: '4' })).toThrow(/WEBHOOK_WORKERS: must be more than WEBHOOK_ORGANISATION_CONCURRENCY \(4\)/);
    expect(() => loadConfig({ PORT: '3000', WEBHOOK_BREAKER_THRESHOLD: '0' })).toThrow(/WEBHOOK_BREAKER_THRESHOLD/);
  });
});
