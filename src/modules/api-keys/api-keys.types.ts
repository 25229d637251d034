export interface ApiKey {
  id: string;
  userId: string;
  name: string;
  hashedKey: string;
  keyPrefix: string;
  /** null: a key stored without scopes, which means the read-only default. */
  scopes: string[] | null;
  createdAt: string;
  lastUsedAt: string | null;
  rotatedAt: string | null;
}
