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
});
