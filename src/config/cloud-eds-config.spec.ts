import { loadConfig } from './app-config.js';

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('Cloud EDS and sandbox configuration', () => {
  it('turns the sandbox on with the embedded database and points the client at it', () => {
    const config = loadConfig({ PORT: '3000' });
    expect(config.sandboxEnabled).toBe(true);
    expect(config.SANDBOX_PROFILE).toBe('dev');
    expect(config.cloudEdsBaseUrl).toBe('http://localhost:3000/sandbox');
    expect(config.cloudEdsSignUrl).toBe('http://localhost:3000/sandbox/sign');
    expect(config.sandboxVerifyUrl).toBe('http://localhost:3000/verify/{checkId}');
    // The derived URLs follow publicBaseUrl when it is set after loading (ephemeral ports).
    config.publicBaseUrl = 'http://127.0.0.1:45678';
    expect(config.cloudEdsBaseUrl).toBe('http://127.0.0.1:45678/sandbox');
    expect(config.sandboxVerifyUrl).toBe('http://127.0.0.1:45678/verify/{checkId}');
  });

  it('uses the provider dev host with DATABASE_URL, and explicit settings when given', () => {
    const external = loadConfig({ DATABASE_URL: 'postgres://x/y', SECRETS_KEY: KEY });
    expect(external.sandboxEnabled).toBe(false);
    expect(external.cloudEdsBaseUrl).toBe('https://dev.b-key.kz');
    expect(external.cloudEdsSignUrl).toBe('https://dev.b-key.kz/sign');
    const prod = loadConfig({
      DATABASE_URL: 'postgres://x/y',
      SECRETS_KEY: KEY,
      CLOUD_EDS_BASE_URL: 'https://api.b-key.kz/',
      CLOUD_EDS_SIGN_URL: 'https://remote.b-key.kz/sign',
      SANDBOX_ENABLED: 'true',
      SANDBOX_ALLOW_OTHER_PROVIDER: 'true',
    });
    expect([prod.sandboxEnabled, prod.cloudEdsBaseUrl, prod.cloudEdsSignUrl]).toEqual([true, 'https://api.b-key.kz', 'https://remote.b-key.kz/sign']);
  });

  it('refuses the sandbox in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SANDBOX_ENABLED: 'true', DATABASE_URL: 'postgres://x/y', SECRETS_KEY: KEY, TRUST_ANCHORS_FILE: 'nca.pem' })).toThrow(/SANDBOX_ENABLED/);
  });

  it('refuses to start in production without TRUST_ANCHORS_FILE, naming it', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', SECRETS_KEY: KEY })).toThrow(/TRUST_ANCHORS_FILE: required with NODE_ENV=production/);
    expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', SECRETS_KEY: KEY, TRUST_ANCHORS_FILE: 'nca.pem' }).TRUST_ANCHORS_FILE).toBe('nca.pem');
  });

  it('refuses the sandbox beside another provider unless a demo allows it', () => {
    const real = { PORT: '3000', CLOUD_EDS_BASE_URL: 'https://dev.b-key.kz' };
    expect(() => loadConfig(real)).toThrow(/SANDBOX_ALLOW_OTHER_PROVIDER/);
    expect(loadConfig({ ...real, SANDBOX_ALLOW_OTHER_PROVIDER: 'true' }).sandboxEnabled).toBe(true);
    expect(loadConfig({ ...real, SANDBOX_ENABLED: 'false' }).sandboxEnabled).toBe(false);
    expect(loadConfig({ PORT: '3000', CLOUD_EDS_BASE_URL: 'http://localhost:3000/sandbox/' }).cloudEdsBaseUrl).toBe('http://localhost:3000/sandbox');
  });

  it('refuses a verification URL template without {checkId}', () => {
    expect(() => loadConfig({ SANDBOX_VERIFY_URL: 'https://x.kz/verify' })).toThrow(/SANDBOX_VERIFY_URL/);
  });
});
