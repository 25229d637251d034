import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.ts';

const PASSWORD = 'correct horse battery';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 24 * 3600 * 1000;

describe('accounts and sessions', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    await ctx.close();
  });

  describe('POST /v1/auth/login', () => {
    it('returns a session token, its expiry and the user', async () => {
      const user = await ctx.services.accounts.createUser({ email: 'ada@example.com', name: 'Ada', password: PASSWORD });
      const response = await ctx.call('POST', '/v1/auth/login', undefined, { email: 'ada@example.com', password: PASSWORD });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(Object.keys(body).sort()).toEqual(['expires_at', 'token', 'user']);
      expect(body.token).toMatch(/^omi_session_[0-9a-f]{64}$/);
      expect(body.expires_at).toMatch(ISO);
      expect(Date.parse(body.expires_at) - ctx.clock.now().getTime()).toBe(30 * DAY_MS);
      expect(body.user).toEqual({ id: user.id, email: 'ada@example.com', name: 'Ada' });
    });

    it('issues a different token on every login', async () => {
      const first = (await ctx.call('POST', '/v1/auth/login', undefined, { email: 'ada@example.com', password: PASSWORD })).json();
      const second = (await ctx.call('POST', '/v1/auth/login', undefined, { email: 'ada@example.com', password: PASSWORD })).json();
      expect(first.token).not.toBe(second.token);
    });

    it('treats the email case-insensitively', async () => {
      const response = await ctx.call('POST', '/v1/auth/login', undefined, { email: '  ADA@Example.COM ', password: PASSWORD });
      expect(response.statusCode).toBe(200);
      expect(response.json().user.email).toBe('ada@example.com');
    });

    it('returns 401 with one text for a wrong password', async () => {
      const response = await ctx.call('POST', '/v1/auth/login', undefined, { email: 'ada@example.com', password: 'wrong password' });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ detail: 'Invalid email or password' });
    });

    it('returns 401 with the same text for an unknown email', async () => {
      const response = await ctx.call('POST', '/v1/auth/login', undefined, { email: 'nobody@example.com', password: PASSWORD });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ detail: 'Invalid email or password' });
    });

    it('returns 422 in FastAPI shape when the password is missing', async () => {
      const response = await ctx.call('POST', '/v1/auth/login', undefined, { email: 'ada@example.com' });
      expect(response.statusCode).toBe(422);
      expect(response.json().detail).toEqual([expect.objectContaining({ type: 'missing', loc: ['body', 'password'] })]);
    });
  });

  describe('POST /v1/auth/signup', () => {
    it('returns 403 when sign-up is not enabled', async () => {
      const response = await ctx.call('POST', '/v1/auth/signup', undefined, {
        email: 'new@example.com',
        password: PASSWORD,
        name: 'New',
      });
      expect(response.statusCode).toBe(403);
      expect(typeof response.json().detail).toBe('string');
      expect(await ctx.services.accounts.findByEmail('new@example.com')).toBeUndefined();
    });

    describe('with OMI_ALLOW_SIGNUP=true', () => {
      let open: TestContext;

      beforeAll(async () => {
        open = await createTestContext({ OMI_ALLOW_SIGNUP: 'true' });
      });
      afterAll(async () => {
        await open.close();
      });

      it('creates the account and signs it in', async () => {
        const response = await open.call('POST', '/v1/auth/signup', undefined, {
          email: 'Grace@Example.com',
          password: PASSWORD,
          name: 'Grace',
        });
        expect(response.statusCode).toBe(200);
        const body = response.json();
        expect(body.token).toMatch(/^omi_session_/);
        expect(body.expires_at).toMatch(ISO);
        expect(body.user).toEqual({ id: expect.any(String), email: 'grace@example.com', name: 'Grace' });

        const me = await open.call('GET', '/v1/users/me', body.token);
        expect(me.statusCode).toBe(200);
        expect(me.json().id).toBe(body.user.id);
      });

      it('lets the new account log in with its password', async () => {
        const response = await open.call('POST', '/v1/auth/login', undefined, { email: 'grace@example.com', password: PASSWORD });
        expect(response.statusCode).toBe(200);
      });

      it('returns 409 when the email is taken, whatever its case', async () => {
        const response = await open.call('POST', '/v1/auth/signup', undefined, {
          email: 'GRACE@example.com',
          password: PASSWORD,
          name: 'Other Grace',
        });
        expect(response.statusCode).toBe(409);
        expect(typeof response.json().detail).toBe('string');
      });

      it('returns 422 when the password is shorter than 8 characters', async () => {
        const response = await open.call('POST', '/v1/auth/signup', undefined, {
          email: 'short@example.com',
          password: 'seven77',
          name: 'Short',
        });
        expect(response.statusCode).toBe(422);
        expect(response.json().detail).toBeDefined();
        expect(await open.services.accounts.findByEmail('short@example.com')).toBeUndefined();
      });

      it('accepts a password of exactly 8 characters', async () => {
        const response = await open.call('POST', '/v1/auth/signup', undefined, {
          email: 'eight@example.com',
          password: 'eight888',
          name: 'Eight',
        });
        expect(response.statusCode).toBe(200);
      });

      it('returns 422 when the name is blank', async () => {
        const response = await open.call('POST', '/v1/auth/signup', undefined, {
          email: 'blank@example.com',
          password: PASSWORD,
          name: '   ',
        });
        expect(response.statusCode).toBe(422);
        expect(response.json()).toEqual({ detail: 'name must not be empty' });
        expect(await open.services.accounts.findByEmail('blank@example.com')).toBeUndefined();
      });

      it('returns 422 when the email is not an address', async () => {
        const response = await open.call('POST', '/v1/auth/signup', undefined, { email: 'not-an-email', password: PASSWORD, name: 'X' });
        expect(response.statusCode).toBe(422);
        expect(response.json()).toEqual({ detail: 'email must be a valid email address' });
      });

      it('returns 422 when the name is missing', async () => {
        const response = await open.call('POST', '/v1/auth/signup', undefined, { email: 'noname@example.com', password: PASSWORD });
        expect(response.statusCode).toBe(422);
        expect(response.json().detail).toEqual([expect.objectContaining({ type: 'missing', loc: ['body', 'name'] })]);
      });
    });
  });

  describe('GET /v1/users/me', () => {
    it('returns the signed-in account', async () => {
      const { userId, session } = await ctx.signIn('me@example.com', 'Me Myself');
      const response = await ctx.call('GET', '/v1/users/me', session);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        id: userId,
        email: 'me@example.com',
        name: 'Me Myself',
        created_at: expect.stringMatching(ISO),
      });
    });

    it('returns 401 without an Authorization header', async () => {
      const response = await ctx.call('GET', '/v1/users/me');
      expect(response.statusCode).toBe(401);
      expect(typeof response.json().detail).toBe('string');
    });

    it('returns 401 for an unknown token', async () => {
      const response = await ctx.call('GET', '/v1/users/me', `omi_session_${'0'.repeat(64)}`);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ detail: 'Invalid authentication credentials' });
    });

    it('returns 401 for a developer key', async () => {
      const { key } = await ctx.developer();
      const response = await ctx.call('GET', '/v1/users/me', key);
      expect(response.statusCode).toBe(401);
      expect(typeof response.json().detail).toBe('string');
    });
  });

  describe('POST /v1/auth/logout', () => {
    it('returns 204 and the token stops working at once', async () => {
      const { session } = await ctx.signIn();
      expect((await ctx.call('GET', '/v1/users/me', session)).statusCode).toBe(200);

      const response = await ctx.call('POST', '/v1/auth/logout', session);
      expect(response.statusCode).toBe(204);
      expect(response.body).toBe('');

      expect((await ctx.call('GET', '/v1/users/me', session)).statusCode).toBe(401);
      expect((await ctx.call('POST', '/v1/auth/logout', session)).statusCode).toBe(401);
    });

    it('ends only the session it is called with', async () => {
      const email = 'two-sessions@example.com';
      const { session: first } = await ctx.signIn(email);
      const second = (await ctx.services.accounts.login(email, PASSWORD)).token;
      expect((await ctx.call('POST', '/v1/auth/logout', first)).statusCode).toBe(204);
      expect((await ctx.call('GET', '/v1/users/me', second)).statusCode).toBe(200);
    });

    it('returns 401 without a session', async () => {
      const response = await ctx.call('POST', '/v1/auth/logout');
      expect(response.statusCode).toBe(401);
    });
  });

  describe('session expiry', () => {
    it('accepts a session until 30 days have passed, then answers 401', async () => {
      const local = await createTestContext();
      try {
        const { session } = await local.signIn();
        local.clock.advance(30 * DAY_MS - 1000);
        expect((await local.call('GET', '/v1/users/me', session)).statusCode).toBe(200);
        local.clock.advance(2000);
        const response = await local.call('GET', '/v1/users/me', session);
        expect(response.statusCode).toBe(401);
        expect(response.json()).toEqual({ detail: 'Invalid authentication credentials' });
      } finally {
        await local.close();
      }
    });
  });

  describe('admin bootstrap', () => {
    it('creates the admin account once and is idempotent', async () => {
      const first = await ctx.services.accounts.ensureAdmin('admin@example.com', 'admin password');
      expect(first.created).toBe(true);

      const second = await ctx.services.accounts.ensureAdmin('ADMIN@example.com', 'admin password');
      expect(second.created).toBe(false);
      expect(second.user.id).toBe(first.user.id);

      const login = await ctx.call('POST', '/v1/auth/login', undefined, { email: 'admin@example.com', password: 'admin password' });
      expect(login.statusCode).toBe(200);
      expect(login.json().user.id).toBe(first.user.id);
    });

    it('does not change the password of an existing admin', async () => {
      await ctx.services.accounts.ensureAdmin('admin2@example.com', 'first password');
      const again = await ctx.services.accounts.ensureAdmin('admin2@example.com', 'second password');
      expect(again.created).toBe(false);
      const login = await ctx.call('POST', '/v1/auth/login', undefined, { email: 'admin2@example.com', password: 'first password' });
      expect(login.statusCode).toBe(200);
      const stale = await ctx.call('POST', '/v1/auth/login', undefined, { email: 'admin2@example.com', password: 'second password' });
      expect(stale.statusCode).toBe(401);
    });
  });
});
