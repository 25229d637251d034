import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MCP_INVALID_KEY } from '../../src/modules/mcp-keys/mcp-keys.service.ts';
import { MCP_SCOPES } from '../../src/modules/mcp-keys/mcp-scopes.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';

const KEYS = '/v1/mcp/keys';
const KEY_PATTERN = /^omi_mcp_[0-9a-f]{32}$/;

interface WireMcpKey {
  id: string;
  name: string;
  key_prefix: string;
  created_at: string;
  last_used_at: string | null;
  app_id: string;
  scopes: string[];
  key?: string;
}

describe('MCP keys', () => {
  let ctx: TestContext;
  let alice: { userId: string; session: string };
  let bob: { userId: string; session: string };

  beforeAll(async () => {
    ctx = await createTestContext();
    alice = await ctx.signIn();
    bob = await ctx.signIn();
  });
  afterAll(async () => {
    await ctx.close();
  });

  const create = async (session: string, body: unknown): Promise<WireMcpKey> => {
    const response = await ctx.call('POST', KEYS, session, body);
    expect(response.statusCode).toBe(200);
    return response.json();
  };
  const list = async (session: string): Promise<WireMcpKey[]> => (await ctx.call('GET', KEYS, session)).json();

  describe('POST /v1/mcp/keys', () => {
    it('returns an omi_mcp_ key once, with every MCP scope and upstream app id', async () => {
      const created = await create(alice.session, { name: 'Claude Desktop' });
      expect(created.key).toMatch(KEY_PATTERN);
      const hex = created.key!.slice('omi_mcp_'.length);
      expect(created).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Claude Desktop',
        key_prefix: `omi_mcp_${hex.slice(0, 4)}...${hex.slice(-4)}`,
        created_at: ctx.clock.now().toISOString(),
        last_used_at: null,
        app_id: 'mcp-api',
        scopes: [...MCP_SCOPES],
        key: created.key,
      });
      const listed = (await list(alice.session)).find((k) => k.id === created.id);
      expect(listed).toBeDefined();
      expect(listed).not.toHaveProperty('key');
    });

    it('checks a scopes list, then widens it to the full MCP set', async () => {
      expect((await create(alice.session, { name: 'narrow', scopes: ['memories.read'] })).scopes).toEqual([...MCP_SCOPES]);
      const refused = await ctx.call('POST', KEYS, alice.session, { name: 'bad', scopes: ['memories:read'] });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().detail).toBe(`Invalid scopes. Available: [${MCP_SCOPES.map((s) => `'${s}'`).join(', ')}]`);
    });

    it('refuses a blank name and a name holding a raw key (422)', async () => {
      expect((await ctx.call('POST', KEYS, alice.session, { name: '  ' })).json()).toEqual({ detail: 'Key name cannot be empty' });
      const raw = await ctx.call('POST', KEYS, alice.session, { name: 'omi_mcp_0123456789abcdef' });
      expect(raw.statusCode).toBe(422);
      expect(raw.json()).toEqual({ detail: 'API key name must not contain a raw API key' });
    });

    it('takes a session, never a key (401)', async () => {
      const { key } = await ctx.developer();
      expect((await ctx.call('POST', KEYS, key, { name: 'x' })).statusCode).toBe(401);
      const mcp = await create(alice.session, { name: 'as-bearer' });
      expect((await ctx.call('GET', KEYS, mcp.key)).statusCode).toBe(401);
      expect((await ctx.call('GET', KEYS)).statusCode).toBe(401);
    });
  });

  describe('the two families stay apart', () => {
    it('lists MCP keys and developer keys separately', async () => {
      const user = await ctx.signIn();
      const dev = (await ctx.call('POST', '/v1/dev/keys', user.session, { name: 'dev' })).json() as { id: string };
      const mcp = await create(user.session, { name: 'mcp' });
      expect((await list(user.session)).map((k) => k.id)).toEqual([mcp.id]);
      expect(((await ctx.call('GET', '/v1/dev/keys', user.session)).json() as { id: string }[]).map((k) => k.id)).toEqual([dev.id]);
      // Revoking or rotating through the other family's routes touches nothing.
      expect((await ctx.call('DELETE', `/v1/dev/keys/${mcp.id}`, user.session)).statusCode).toBe(204);
      expect((await ctx.call('POST', `/v1/dev/keys/${mcp.id}/rotate`, user.session)).statusCode).toBe(404);
      expect((await ctx.call('DELETE', `${KEYS}/${dev.id}`, user.session)).statusCode).toBe(204);
      expect((await ctx.call('POST', `${KEYS}/${dev.id}/rotate`, user.session)).statusCode).toBe(404);
      expect(await list(user.session)).toHaveLength(1);
      expect((await ctx.call('GET', '/v1/dev/keys', user.session)).json()).toHaveLength(1);
    });

    it('an MCP key on a developer route gets upstream\u2019s explanation; a developer key is no MCP key', async () => {
      const mcp = await create(alice.session, { name: 'wrong-door' });
      const refused = await ctx.call('GET', '/v1/dev/user/memories', mcp.key);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().detail).toMatch(/^MCP API keys \(omi_mcp_\.\.\.\) only authenticate the MCP endpoints under \/v1\/mcp\//);
      const { key } = await ctx.developer();
      await expect(ctx.services.mcpKeys.authenticate(key)).rejects.toMatchObject({ code: 'unauthorized', detail: MCP_INVALID_KEY });
    });
  });

  describe('authenticate, DELETE and rotate', () => {
    it('authenticates an MCP key as its owner with every MCP scope, and records its use', async () => {
      const created = await create(alice.session, { name: 'principal' });
      expect(await ctx.services.mcpKeys.authenticate(created.key!)).toEqual({ userId: alice.userId, keyId: created.id, scopes: [...MCP_SCOPES] });
      expect((await list(alice.session)).find((k) => k.id === created.id)?.last_used_at).toBe(ctx.clock.now().toISOString());
      await expect(ctx.services.mcpKeys.authenticate('omi_mcp_00000000000000000000000000000000')).rejects.toMatchObject({ code: 'unauthorized' });
      await expect(ctx.services.mcpKeys.authenticate('not-a-key')).rejects.toMatchObject({ detail: MCP_INVALID_KEY });
    });

    it('a revoked key fails at once; unknown ids and other users\u2019 ids also answer 204 and delete nothing', async () => {
      const created = await create(alice.session, { name: 'revoked' });
      expect((await ctx.call('DELETE', `${KEYS}/${created.id}`, bob.session)).statusCode).toBe(204);
      expect((await ctx.services.mcpKeys.authenticate(created.key!)).keyId).toBe(created.id);
      expect((await ctx.call('DELETE', `${KEYS}/${created.id}`, alice.session)).statusCode).toBe(204);
      await expect(ctx.services.mcpKeys.authenticate(created.key!)).rejects.toMatchObject({ code: 'unauthorized' });
      expect((await ctx.call('DELETE', `${KEYS}/no-such-key`, alice.session)).statusCode).toBe(204);
    });

    it('rotation issues a new secret, keeps id and name, and the old secret stops working', async () => {
      const created = await create(alice.session, { name: 'rotated' });
      expect((await ctx.call('POST', `${KEYS}/${created.id}/rotate`, bob.session)).statusCode).toBe(404);
      const rotated = (await ctx.call('POST', `${KEYS}/${created.id}/rotate`, alice.session)).json() as WireMcpKey;
      expect(rotated).toMatchObject({ id: created.id, name: 'rotated', app_id: 'mcp-api', scopes: [...MCP_SCOPES] });
      expect(rotated.key).toMatch(KEY_PATTERN);
      expect(rotated.key).not.toBe(created.key);
      await expect(ctx.services.mcpKeys.authenticate(created.key!)).rejects.toMatchObject({ code: 'unauthorized' });
      expect((await ctx.services.mcpKeys.authenticate(rotated.key!)).keyId).toBe(created.id);
    });
  });
});
