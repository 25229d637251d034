import type { Kysely, Selectable } from 'kysely';
import type { User, UserWithPassword } from '../../modules/accounts/accounts.types.ts';
import type { Database, UsersTable } from '../schema.ts';
import type { SessionsRepository, UsersRepository } from '../storage.ts';

const toUser = (row: Pick<Selectable<UsersTable>, 'id' | 'email' | 'name' | 'created_at'>): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  createdAt: row.created_at,
});

export function usersRepository(db: Kysely<Database>): UsersRepository {
  return {
    async insert(user) {
      await db
        .insertInto('users')
        .values({
          id: user.id,
          email: user.email,
          name: user.name,
          password_hash: user.passwordHash,
          created_at: user.createdAt,
        })
        .execute();
    },
    async findByEmail(email) {
      const row = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
      return row && ({ ...toUser(row), passwordHash: row.password_hash } satisfies UserWithPassword);
    },
    async findById(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },
    async update(id, changes) {
      const values = {
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.passwordHash !== undefined && { password_hash: changes.passwordHash }),
      };
      if (Object.keys(values).length === 0) {
        return (await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
      }
      const result = await db.updateTable('users').set(values).where('id', '=', id).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async list() {
      const rows = await db.selectFrom('users').select(['id', 'email', 'name', 'created_at']).orderBy('created_at').orderBy('id').execute();
      return rows.map(toUser);
    },
    async delete(id) {
      const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

export function sessionsRepository(db: Kysely<Database>): SessionsRepository {
  return {
    async insert(session) {
      await db
        .insertInto('sessions')
        .values({
          id: session.id,
          user_id: session.userId,
          token_hash: session.tokenHash,
          created_at: session.createdAt,
          expires_at: session.expiresAt,
        })
        .execute();
    },
    async findUser(tokenHash, now) {
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select(['users.id', 'users.email', 'users.name', 'users.created_at'])
        .where('sessions.token_hash', '=', tokenHash)
        .where('sessions.expires_at', '>', now)
        .executeTakeFirst();
      return row && toUser(row);
    },
    async delete(tokenHash) {
      await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    },
    async deleteOthers(userId, keepTokenHash) {
      const result = await db
        .deleteFrom('sessions')
        .where('user_id', '=', userId)
        .where('token_hash', '<>', keepTokenHash)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async deleteForUser(userId) {
      const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async deleteExpired(now) {
      const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
