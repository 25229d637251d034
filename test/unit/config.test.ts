import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.ts';

describe('parseConfig', () => {
  it('uses the documented defaults', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:./data/omi.db',
      databasePoolSize: 10,
      allowSignup: false,
      rateLimitMultiplier: 100,
      redisUrl: undefined,
      llm: undefined,
      embeddings: undefined,
      logLevel: 'info',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    const config = parseConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      OMI_DATABASE_URL: 'sqlite::memory:',
      OMI_DATABASE_POOL_SIZE: '40',
      OMI_ADMIN_EMAIL: 'a@example.com',
      OMI_ADMIN_PASSWORD: 'long enough',
      OMI_ALLOW_SIGNUP: 'true',
      OMI_RATE_LIMIT_MULTIPLIER: '0',
      OMI_REDIS_URL: 'redis://127.0.0.1:6379',
      OMI_LLM_BASE_URL: 'http://127.0.0.1:11434/v1/',
      OMI_LLM_MODEL: 'llama3',
      OMI_EMBEDDINGS_BASE_URL: 'http://127.0.0.1:11434/v1',
      OMI_EMBEDDINGS_MODEL: 'nomic-embed-text',
      OMI_EMBEDDINGS_API_KEY: 'sk-x',
      OMI_LOG_LEVEL: 'DEBUG',
    });
    expect(config.port).toBe(0);
    expect(config.databasePoolSize).toBe(40);
    expect(config.allowSignup).toBe(true);
    expect(config.rateLimitMultiplier).toBe(0);
    expect(config.llm).toEqual({ baseUrl: 'http://127.0.0.1:11434/v1', apiKey: undefined, model: 'llama3' });
    expect(config.embeddings?.apiKey).toBe('sk-x');
    expect(config.logLevel).toBe('debug');
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['OMI_DATABASE_URL', { OMI_DATABASE_URL: 'mysql://x' }],
    ['OMI_DATABASE_POOL_SIZE', { OMI_DATABASE_POOL_SIZE: '0' }],
    ['OMI_ALLOW_SIGNUP', { OMI_ALLOW_SIGNUP: 'maybe' }],
    ['OMI_RATE_LIMIT_MULTIPLIER', { OMI_RATE_LIMIT_MULTIPLIER: '-1' }],
    ['OMI_LOG_LEVEL', { OMI_LOG_LEVEL: 'loud' }],
    ['OMI_REDIS_URL', { OMI_REDIS_URL: 'not a url' }],
    ['OMI_LLM_MODEL', { OMI_LLM_BASE_URL: 'http://x' }],
    ['OMI_ADMIN_PASSWORD', { OMI_ADMIN_EMAIL: 'a@example.com' }],
    ['OMI_ADMIN_PASSWORD', { OMI_ADMIN_EMAIL: 'a@example.com', OMI_ADMIN_PASSWORD: 'short' }],
  ])('names %s when its value is invalid', (variable, env) => {
    let error: unknown;
    try {
      parseConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message).toContain(variable);
  });
});
