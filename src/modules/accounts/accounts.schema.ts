import { Type } from 'typebox';
import { DateTime } from '../../http/schema.ts';

export const LoginRequest = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 320 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});

export const SignupRequest = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 320 }),
  password: Type.String({ minLength: 8, maxLength: 1024 }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
});

const SessionUser = Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() });

export const SessionResponse = Type.Object({
  token: Type.String({ description: 'Send as `Authorization: Bearer <token>` to /v1/dev/keys and /v1/users/me.' }),
  expires_at: DateTime(),
  user: SessionUser,
});

export const MeResponse = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  created_at: DateTime(),
});
