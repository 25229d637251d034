import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryRateLimitStore } from '../../src/http/rate-limit/store.ts';
import { hashPassword, verifyPassword } from '../../src/lib/crypto.ts';
import { autoId, goalId, memoryIdFor } from '../../src/lib/ids.ts';
import { parseDateTime } from '../../src/lib/time.ts';

describe('memoryIdFor', () => {
  it('is the first 16 bytes of SHA-256(content) as a version-4 UUID', () => {
    const digest = createHash('sha256').update('I live in Lisbon').digest('hex');
    const id = memoryIdFor('I live in Lisbon');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id.replaceAll('-', '').slice(0, 12)).toBe(digest.slice(0, 12));
    expect(id.replaceAll('-', '').slice(16 + 1)).toBe(digest.slice(17, 32));
  });

  it('is stable and content-sensitive', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(memoryIdFor(a)).toBe(memoryIdFor(a));
        if (a !== b) expect(memoryIdFor(a)).not.toBe(memoryIdFor(b));
      }),
    );
  });
});

describe('ids', () => {
  it('autoId is 20 alphanumerics; goalId is goal_ + 12 hex', () => {
    for (let i = 0; i < 100; i++) {
      expect(autoId()).toMatch(/^[A-Za-z0-9]{20}$/);
      expect(goalId()).toMatch(/^goal_[0-9a-f]{12}$/);
    }
  });
});

describe('parseDateTime', () => {
  it.each([
    ['2026-01-15T10:00:00Z', '2026-01-15T10:00:00.000Z'],
    ['2026-01-15T10:00:00+02:00', '2026-01-15T08:00:00.000Z'],
    ['2026-01-15T10:00:00.123456Z', '2026-01-15T10:00:00.123Z'],
    ['2026-01-15T10:00:00', '2026-01-15T10:00:00.000Z'],
    ['2026-01-15 10:00', '2026-01-15T10:00:00.000Z'],
    ['2026-01-15', '2026-01-15T00:00:00.000Z'],
  ])('accepts %s', (input, expected) => expect(parseDateTime(input)).toBe(expected));

  it.each(['', 'yesterday', '2026-02-30', '2026-13-01T00:00:00Z', '15/01/2026', '2026-01-15T25:00:00Z'])(
    'rejects %s',
    (input) => expect(parseDateTime(input)).toBeUndefined(),
  );
});

describe('passwords', () => {
  it('verify only the right password', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('wrong horse', hash)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('MemoryRateLimitStore', () => {
  it('counts within a window and starts over after it', async () => {
    let now = 0;
    const store = new MemoryRateLimitStore(() => now);
    expect(await store.hit('k', 10)).toEqual({ count: 1, resetSeconds: 10 });
    now = 4_000;
    expect(await store.hit('k', 10)).toEqual({ count: 2, resetSeconds: 6 });
    expect(await store.hit('other', 10)).toEqual({ count: 1, resetSeconds: 10 });
    now = 10_000;
    expect(await store.hit('k', 10)).toEqual({ count: 1, resetSeconds: 10 });
  });
});
