import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/load-config.js';

// The delivery settings as loadConfig reads them (defaults, smarthost forms, refusals).

describe('delivery settings', () => {
  it('has Postfix-like defaults', () => {
    const d = loadConfig({}).delivery;
    expect(d).toMatchObject({ queueLifetimeMs: 5 * 86_400_000, delayWarningMs: 4 * 3_600_000, maxPerDomain: 20, leaseMs: 600_000, smarthost: undefined });
    expect(loadConfig({ CORREIO_DELIVERY_DELAY_WARNING: 'off' }).delivery.delayWarningMs).toBe(0);
  });

  it('reads a smarthost with credentials; the port follows the TLS mode', () => {
    const s = loadConfig({ CORREIO_SMARTHOST: 'smtp.provider.example', CORREIO_SMARTHOST_USER: 'u', CORREIO_SMARTHOST_PASSWORD: 'p' }).delivery.smarthost;
    expect(s).toEqual({ host: 'smtp.provider.example', port: 587, auth: { user: 'u', pass: 'p' }, tls: 'required', verifyCertificate: true, allowPlainAuthOnLoopback: false });
    expect(loadConfig({ CORREIO_SMARTHOST: '[10.0.0.5]', CORREIO_SMARTHOST_TLS: 'implicit' }).delivery.smarthost).toMatchObject({ host: '10.0.0.5', port: 465 });
  });

  it('refuses half-configured credentials and unreadable values', () => {
    expect(() => loadConfig({ CORREIO_SMARTHOST: 'relay:25', CORREIO_SMARTHOST_USER: 'u' })).toThrow(/go together/);
    expect(() => loadConfig({ CORREIO_SMARTHOST_USER: 'u', CORREIO_SMARTHOST_PASSWORD: 'p' })).toThrow(/CORREIO_SMARTHOST is not/);
    expect(() => loadConfig({ CORREIO_SMARTHOST: 'relay:25:26' })).toThrow(ConfigError);
    expect(() => loadConfig({ CORREIO_SMARTHOST_TLS: 'sometimes' })).toThrow(ConfigError);
    expect(() => loadConfig({ CORREIO_DELIVERY_QUEUE_LIFETIME: '1d,2d' })).toThrow(/one duration expected/);
    expect(() => loadConfig({ CORREIO_DELIVERY_MAX_PER_DOMAIN: '0' })).toThrow(ConfigError);
  });
});
