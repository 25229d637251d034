import { DUMMY_PASSWORD_HASH, hashPassword, randomHex, sha256Hex, uuid, verifyPassword } from '../../lib/crypto.ts';
import { conflict, forbidden, notFound, unauthorized, unprocessable } from '../../lib/errors.ts';
import { type Clock, toIso } from '../../lib/time.ts';
import type { Storage } from '../../storage/storage.ts';
import type { User } from './accounts.types.ts';

export const SESSION_PREFIX = 'omi_session_';
export const MIN_PASSWORD_LENGTH = 8;

export interface SessionGrant {
  token: string;
  expiresAt: string;
  user: User;
}

const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** Accounts and sessions: this server's stand-in for upstream's Firebase login. */
export class AccountsService {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly options: { allowSignup: boolean; sessionTtlSeconds: number },
  ) {}

  async createUser(input: { email: string; name: string; password: string }): Promise<User> {
    const email = normaliseEmail(input.email);
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw unprocessable('email must be a valid email address');
    const name = input.name.trim();
    if (name === '') throw unprocessable('name must not be empty');
    if (input.password.length < MIN_PASSWORD_LENGTH) {
      throw unprocessable(`password must be at least ${MIN_PASSWORD_LENGTH} characters`);
    }
    if (await this.storage.users.findByEmail(email)) throw conflict('An account with this email already exists');
    const user: User = { id: uuid(), email, name, createdAt: toIso(this.clock.now()) };
    try {
      await this.storage.users.insert({ ...user, passwordHash: await hashPassword(input.password) });
    } catch (error) {
      // Two sign-ups racing for one email: the unique index decides, the loser gets 409.
      if (await this.storage.users.findByEmail(email)) throw conflict('An account with this email already exists');
      throw error;
    }
    return user;
  }

  /**
   * Creates the admin account from OMI_ADMIN_EMAIL/OMI_ADMIN_PASSWORD/OMI_ADMIN_NAME unless it
   * exists; an existing account is left as it is (its name and password included).
   */
  async ensureAdmin(email: string, password: string, name = 'Admin'): Promise<{ user: User; created: boolean }> {
    const existing = await this.findByEmail(email);
    if (existing) return { user: existing, created: false };
    try {
      return { user: await this.createUser({ email, password, name }), created: true };
    } catch (error) {
      const raced = await this.findByEmail(email);
      if (raced) return { user: raced, created: false };
      throw error;
    }
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const user = await this.storage.users.findByEmail(normaliseEmail(email));
    return user && { id: user.id, email: user.email, name: user.name, createdAt: user.createdAt };
  }

  async signup(input: { email: string; name: string; password: string }): Promise<SessionGrant> {
    if (!this.options.allowSignup) throw forbidden('Sign-up is disabled on this server');
    const user = await this.createUser(input);
    return this.openSession(user);
  }

  async login(email: string, password: string): Promise<SessionGrant> {
    const user = await this.storage.users.findByEmail(normaliseEmail(email));
    // Verify against a dummy hash when the account is unknown, so both failures take as long.
    const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!user || !valid) throw unauthorized('Invalid email or password');
    return this.openSession({ id: user.id, email: user.email, name: user.name, createdAt: user.createdAt });
  }

  /** Renames the account (the speaker name of the user's own segments). */
  async rename(userId: string, name: string): Promise<User> {
    const trimmed = name.trim();
    if (trimmed === '') throw unprocessable('name must not be empty');
    if (!(await this.storage.users.update(userId, { name: trimmed }))) throw unauthorized('Invalid authentication credentials');
    const user = await this.storage.users.findById(userId);
    if (!user) throw unauthorized('Invalid authentication credentials');
    return user;
  }

  /**
   * Replaces the password after checking the current one; every other session of the account
   * ends, the one making the change stays signed in.
   */
  async changePassword(user: User, sessionToken: string, current: string, next: string): Promise<void> {
    const stored = await this.storage.users.findByEmail(user.email);
    const valid = await verifyPassword(current, stored?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!stored || stored.id !== user.id || !valid) throw unauthorized('Current password is incorrect');
    if (next.length < MIN_PASSWORD_LENGTH) throw unprocessable(`password must be at least ${MIN_PASSWORD_LENGTH} characters`);
    const passwordHash = await hashPassword(next);
    await this.storage.transaction(async (tx) => {
      await tx.users.update(user.id, { passwordHash });
      await tx.sessions.deleteOthers(user.id, sha256Hex(sessionToken));
    });
  }

  /** Every account, oldest first (the operator's CLI). */
  list(): Promise<User[]> {
    return this.storage.users.list();
  }

  /** Deletes the account and everything it owns (keys, sessions, data, jobs); false if it is gone. */
  delete(userId: string): Promise<boolean> {
    return this.storage.users.delete(userId);
  }

  /** Sets a new password without the current one (the operator's reset); every session of the account ends. */
  async setPassword(userId: string, password: string): Promise<void> {
    if (password.length < MIN_PASSWORD_LENGTH) throw unprocessable(`password must be at least ${MIN_PASSWORD_LENGTH} characters`);
    const passwordHash = await hashPassword(password);
    await this.storage.transaction(async (tx) => {
      if (!(await tx.users.update(userId, { passwordHash }))) throw notFound('Account not found');
      await tx.sessions.deleteForUser(userId);
    });
  }

  async logout(token: string): Promise<void> {
    await this.storage.sessions.delete(sha256Hex(token));
  }

  /** The user behind a session token, or undefined if it is unknown, expired or logged out. */
  async authenticate(token: string): Promise<User | undefined> {
    if (!token.startsWith(SESSION_PREFIX)) return undefined;
    return this.storage.sessions.findUser(sha256Hex(token), toIso(this.clock.now()));
  }

  private async openSession(user: User): Promise<SessionGrant> {
    const now = this.clock.now();
    const token = `${SESSION_PREFIX}${randomHex(32)}`;
    const expiresAt = toIso(new Date(now.getTime() + this.options.sessionTtlSeconds * 1000));
    await this.storage.sessions.insert({
      id: uuid(),
      userId: user.id,
      tokenHash: sha256Hex(token),
      createdAt: toIso(now),
      expiresAt,
    });
    return { token, expiresAt, user };
  }
}
