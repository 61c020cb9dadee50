import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

describe('loadConfig', () => {
  it('runs on embedded defaults with no environment at all', () => {
    const c = loadConfig({});
    expect(c.DB_PATH).toBe('var/vacunabot.db');
    expect(c.DEFAULT_LANG).toBe('es');
    expect(c.HASH_SALT).toBeUndefined();
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DB_PATH: '', DEFAULT_LANG: '' }).DB_PATH).toBe('var/vacunabot.db');
  });

  it.each([
    [{ DEFAULT_LANG: 'fr' }, 'DEFAULT_LANG'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ HASH_SALT: 'short' }, 'HASH_SALT'],
    [{ NODE_ENV: 'production' }, 'HASH_SALT'],
    [
      {
        NODE_ENV: 'production',
        HASH_SALT: 'a-salt-of-sixteen-chars',
        TELEGRAM_WEBHOOK_URL: 'https://bot.example.test/tg/hook',
      },
      'TELEGRAM_WEBHOOK_SECRET',
    ],
    [
      {
        WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG-a-long-enough-token',
        WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1234567890',
      },
      'WHATSAPP_CLOUD_APP_SECRET',
    ],
    [{ WHATSAPP_CLOUD_PHONE_NUMBER_ID: '+52 55 1234' }, 'WHATSAPP_CLOUD_PHONE_NUMBER_ID'],
  ])('rejects %o naming %s and what is expected', (env, variable) => {
    try {
      loadConfig(env);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).variable).toBe(variable);
      expect((err as ConfigError).message).toMatch(new RegExp(`^${variable}: .+`));
    }
  });

  it('takes a production webhook with its secret, and a webhook without one outside production', () => {
    const webhook = {
      HASH_SALT: 'a-salt-of-sixteen-chars',
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.test/h',
    };
    expect(
      loadConfig({ ...webhook, NODE_ENV: 'production', TELEGRAM_WEBHOOK_SECRET: 'a-secret-of-16-chars' })
        .TELEGRAM_WEBHOOK_SECRET,
    ).toBe('a-secret-of-16-chars');
    expect(loadConfig(webhook).TELEGRAM_WEBHOOK_SECRET).toBeUndefined();
  });

  it('starts the WhatsApp Cloud API channel only with its four variables, with a pinned Graph API version', async () => {
    const { whatsappCloud } = await import('../src/channels/whatsapp-cloud/factory.js');
    const cloud = {
      WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG-a-long-enough-token',
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1234567890',
      WHATSAPP_CLOUD_APP_SECRET: '0123456789abcdef0123456789abcdef',
      WHATSAPP_CLOUD_VERIFY_TOKEN: 'my-verify-token',
    };
    const c = loadConfig(cloud);
    expect(whatsappCloud.enabled(c)).toBe(true);
    expect(c.WHATSAPP_CLOUD_API_ROOT).toBe('https://graph.facebook.com/v21.0');
    expect(c.WHATSAPP_CLOUD_PER_SECOND).toBe(80);
    expect(whatsappCloud.enabled(loadConfig({}))).toBe(false);
  });
});
