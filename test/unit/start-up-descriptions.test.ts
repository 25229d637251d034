import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import { describeRateLimitStore } from '../../src/http/rate-limit/index.ts';
import { describeDatabase } from '../../src/storage/index.ts';

describe('what the start-up log says', () => {
  it('describes the database by kind and file or host, never with its password', () => {
    expect(describeDatabase('sqlite:./data/omi.db')).toEqual({ kind: 'sqlite', location: resolve('data/omi.db') });
    expect(describeDatabase('sqlite::memory:')).toEqual({ kind: 'sqlite', location: ':memory:' });
    const postgres = describeDatabase('postgres://omi:p%40ss-word@db.internal:6543/omi_prod?sslmode=require');
    expect(postgres).toEqual({ kind: 'postgres', location: 'omi@db.internal:6543/omi_prod' });
    expect(describeDatabase('postgresql://db.internal/omi')).toEqual({ kind: 'postgres', location: 'db.internal:5432/omi' });
  });

  it('describes the rate-limit store, never with Redis credentials', () => {
    expect(describeRateLimitStore(parseConfig({}))).toBe('in-process');
    expect(describeRateLimitStore(parseConfig({ OMI_REDIS_URL: 'redis://:secret@cache.internal:6380/2' }))).toBe('redis cache.internal:6380/2');
    expect(describeRateLimitStore(parseConfig({ OMI_RATE_LIMIT_MULTIPLIER: '0' }))).toBe('off (OMI_RATE_LIMIT_MULTIPLIER=0)');
  });
});
