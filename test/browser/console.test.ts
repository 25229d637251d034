import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../../src/modules/api-keys/scopes.ts';
import { openStorage } from '../../src/storage/index.ts';
import { ADMIN, CHROMIUM, call, serveForeignPage, startHarness, type Harness } from './harness.ts';

/**
 * The web console in a real browser (Debian's Chromium through Playwright) against the built
 * server on a scratch SQLite file: every flow a user has, checked on screen and through the API.
 *
 * Skipped on the PostgreSQL run: the console reaches storage only through the same routes and
 * services the HTTP suites already run on PostgreSQL, so a second browser pass would add minutes,
 * not coverage.
 */
const POSTGRES = Boolean(process.env.OMI_TEST_DATABASE_URL);
/** `npm test` needs nothing installed; without Chromium the suite is skipped, except under CI (.ci/run installs it). */
const NO_BROWSER = !existsSync(CHROMIUM) && process.env.CI !== 'true';

describe.skipIf(POSTGRES || NO_BROWSER)('web console in Chromium', () => {
  let h: Harness;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let session: string;
  let key: string;
  let conversationId: string;
  const problems: string[] = [];

  const api = (method: string, path: string, body?: unknown) => call(base, method, path, key, body);
  const memories = async () => (await api('GET', '/v1/dev/user/memories?limit=100')).body as { id: string; content: string; category: string }[];
  const accept = () => page.once('dialog', (dialog) => void dialog.accept());

  beforeAll(async () => {
    h = await startHarness();
    base = h.server.url;
    session = (await call(base, 'POST', '/v1/auth/login', undefined, { email: ADMIN.email, password: ADMIN.password })).body.token;
    key = (await call(base, 'POST', '/v1/dev/keys', session, { name: 'seed', scopes: [...SCOPES] })).body.key;
    for (const [content, category] of [
      ['Ada drinks green tea every morning', 'interests'],
      ['Ada works on the analytical engine', 'work'],
      ['Ada plays the piano on Sundays', 'hobbies'],
    ]) {
      expect((await api('POST', '/v1/dev/user/memories', { content, category })).status).toBe(200);
    }
    await api('POST', '/v1/dev/user/action-items', { description: 'Send the report to Charles' });
    await api('POST', '/v1/dev/user/action-items', { description: 'Buy piano strings' });
    const created = await api('POST', '/v1/dev/user/conversations/from-segments', {
      transcript_segments: [
        { text: 'Charles, I finished the notes on the engine and the Bernoulli numbers.', is_user: true, start: 0, end: 5 },
        { text: 'Wonderful. Please send me the report by Friday so I can review it.', speaker: 'SPEAKER_01', start: 5, end: 10 },
        { text: 'I will send the report to you on Friday morning.', is_user: true, start: 10, end: 14 },
      ],
    });
    expect(created.status).toBe(200);
    conversationId = created.body.id;

    // Daily summaries are written by a background job a minute after the day's last change;
    // one is put straight into the server's database instead of waiting for it.
    const me = (await call(base, 'GET', '/v1/users/me', session)).body;
    const storage = await openStorage(`sqlite:${join(h.workdir, 'omi.db')}`);
    const now = new Date().toISOString();
    await storage.dailySummaries.upsert({
      id: 'summary-1',
      userId: me.id,
      date: now.slice(0, 10),
      dayEmoji: '📓',
      headline: 'Notes on the engine finished',
      overview: 'A day of writing.',
      stats: { total_conversations: 1, action_items_count: 1, words_spoken: 40, total_duration_minutes: 1, categories: {} },
      highlights: ['Finished the notes'],
      actionItems: [{ description: 'Send the report', completed: false }],
      knowledgeNuggets: [],
      createdAt: now,
      updatedAt: now,
    } as never);
    await storage.close();

    context = await h.browser.newContext({ baseURL: base, timezoneId: 'UTC', locale: 'en-GB' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // Script errors and CSP refusals; failed requests (the 401s and 4xx the flows provoke) are expected.
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  it('asks to sign in, shows a wrong password, and signs in from the keyboard with an HttpOnly cookie', async () => {
    await page.goto('/memories');
    await expect(page.getByRole('heading', { name: 'Sign in to Omi' }).textContent()).resolves.toBe('Sign in to Omi');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('Invalid email or password');

    await page.getByLabel('Password').fill('');
    await page.getByLabel('Password').focus();
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Memories' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/memories');
    const cookie = (await context.cookies()).find((c) => c.name === 'omi_console_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
    expect(await page.evaluate<string>('document.cookie')).not.toContain('omi_console_session');
  });

  it('memories: searches, filters by category, adds, edits and deletes', async () => {
    const items = page.getByRole('list', { name: 'Memories' }).getByRole('listitem');
    await items.nth(2).waitFor();
    expect(await items.count()).toBe(3);

    await page.getByLabel('Search').fill('tea');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => items.allTextContents()).toEqual([expect.stringContaining('green tea')]);
    await page.getByLabel('Search').fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByLabel('Filter by category').selectOption('work');
    await expect.poll(() => items.allTextContents()).toEqual([expect.stringContaining('analytical engine')]);
    await page.getByLabel('Filter by category').selectOption('');

    await page.getByLabel('New memory').fill('Ada is learning Italian');
    await page.getByLabel('Category', { exact: true }).selectOption('learnings');
    await page.getByRole('button', { name: 'Add memory' }).click();
    await items.filter({ hasText: 'learning Italian' }).waitFor();
    expect((await memories()).find((m) => m.content === 'Ada is learning Italian')?.category).toBe('learnings');

    await page.getByRole('button', { name: /^Edit memory: Ada plays the piano/ }).click();
    await page.getByLabel('Memory', { exact: true }).fill('Ada plays the harpsichord on Sundays');
    await page.getByRole('button', { name: 'Save' }).click();
    await items.filter({ hasText: 'harpsichord' }).waitFor();
    expect((await memories()).map((m) => m.content)).toContain('Ada plays the harpsichord on Sundays');

    accept();
    await page.getByRole('button', { name: /^Delete memory: Ada drinks green tea/ }).click();
    await expect.poll(() => items.filter({ hasText: 'green tea' }).count()).toBe(0);
    expect((await memories()).some((m) => m.content.includes('green tea'))).toBe(false);
  });

  it('conversations: lists, searches and shows the detail with transcript by speaker', async () => {
    const stored = (await api('GET', `/v1/dev/user/conversations/${conversationId}?include_transcript=true`)).body;
    await page.getByRole('link', { name: 'Conversations' }).click();
    await page.getByLabel('Search').fill('Bernoulli');
    await page.getByRole('button', { name: 'Apply' }).click();
    const link = page.getByRole('link', { name: stored.structured.title });
    await link.click();
    await page.getByRole('heading', { level: 1, name: stored.structured.title }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/conversations/${conversationId}`);
    const article = (await page.locator('article').textContent())!;
    expect(article).toContain(stored.structured.overview);
    const transcript = page.getByRole('list', { name: 'Transcript' }).getByRole('listitem');
    expect(await transcript.count()).toBe(3);
    const speakers = await transcript.locator('.speaker').allTextContents();
    expect(speakers).toEqual(stored.transcript_segments.map((s: { speaker_name: string }) => s.speaker_name));
    expect(speakers[0]).toBe(ADMIN.name);
    for (const action of stored.structured.action_items) expect(article).toContain(action.description);
    for (const event of stored.structured.events) expect(article).toContain(event.title);
    expect(article).toContain('Folder:');
  });

  it('action items: completes one and sets a due date on another', async () => {
    await page.getByRole('link', { name: 'Action items' }).click();
    const items = page.getByRole('list', { name: 'Action items' });
    await items.getByText('Send the report to Charles', { exact: true }).click();
    const listAll = async () => (await api('GET', '/v1/dev/user/action-items?limit=100')).body as { description: string; completed: boolean; due_at?: string }[];
    await expect.poll(async () => (await listAll()).find((i) => i.description === 'Send the report to Charles')?.completed).toBe(true);

    await page.getByLabel('Due date for Buy piano strings').fill('2030-05-01T09:30');
    await page.getByRole('listitem').filter({ hasText: 'Buy piano strings' }).getByRole('button', { name: 'Set due date' }).click();
    await expect
      .poll(async () => Date.parse((await listAll()).find((i) => i.description === 'Buy piano strings')?.due_at ?? ''))
      .toBe(Date.parse('2030-05-01T09:30:00Z'));
    await page.getByText(/^Due /).first().waitFor();
  });

  it('goals: creates a goal, records progress and draws its history', async () => {
    await page.getByRole('link', { name: 'Goals' }).click();
    await page.getByLabel('New goal').fill('Read 12 books');
    await page.getByLabel('Target').fill('12');
    await page.getByLabel('Unit').fill('books');
    await page.getByRole('button', { name: 'Add goal' }).click();
    await page.getByRole('link', { name: 'Read 12 books' }).click();
    for (const value of ['3', '7']) {
      await page.getByLabel('Record progress').fill(value);
      await page.getByRole('button', { name: 'Record' }).click();
      await page.getByText(`${value} / 12 books`).waitFor();
    }
    const goalId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    const history = (await api('GET', `/v1/dev/user/goals/${goalId}/history?days=365`)).body as { value: number }[];
    expect(history.map((entry) => entry.value).slice(-2)).toEqual([3, 7]);
    const chart = page.locator('figure.chart svg');
    await expect.poll(() => chart.getAttribute('data-points')).toBe(String(history.length));
    expect(await chart.locator('circle').count()).toBe(history.length);
    expect(await chart.getAttribute('aria-label')).toContain('latest 7 books, target 12');
  });

  it('daily summaries: shows the day', async () => {
    await page.getByRole('link', { name: 'Daily summaries' }).click();
    await page.getByRole('heading', { name: /Notes on the engine finished/ }).waitFor();
    expect(await page.locator('main').textContent()).toContain('Finished the notes');
  });

  it('developer keys: creates with chosen scopes, shows and copies the key once, rotates and revokes', async () => {
    await page.getByRole('link', { name: 'Developer keys' }).click();
    await page.getByLabel('Name').fill('CI script');
    await page.getByLabel('memories:write').check();
    await page.getByLabel('goals:read').uncheck();
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByLabel('The new key');
    const value = await secret.inputValue();
    expect(value).toMatch(/^omi_dev_[0-9a-f]{32}$/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(value);
    const calling = await call(base, 'GET', '/v1/dev/key', value);
    expect(calling.body.scopes).toEqual(['conversations:read', 'memories:read', 'memories:write', 'action_items:read']);
    await page.getByRole('row', { name: /CI script/ }).getByText(calling.body.key_prefix).waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await secret.count()).toBe(0);

    accept();
    await page.getByRole('button', { name: 'Rotate CI script' }).click();
    await expect.poll(() => secret.inputValue()).not.toBe(value);
    const rotated = await secret.inputValue();
    expect((await call(base, 'GET', '/v1/dev/key', value)).status).toBe(401);
    expect((await call(base, 'GET', '/v1/dev/key', rotated)).status).toBe(200);

    accept();
    await page.getByRole('button', { name: 'Revoke CI script' }).click();
    await expect.poll(() => page.getByRole('row', { name: /CI script/ }).count()).toBe(0);
    expect((await call(base, 'GET', '/v1/dev/key', rotated)).status).toBe(401);
  });

  it('MCP keys: creates one, shows it once and revokes it', async () => {
    await page.getByRole('link', { name: 'MCP keys' }).click();
    await page.getByLabel('Name').fill('Assistant');
    await page.getByRole('button', { name: 'Create key' }).click();
    const value = await page.getByLabel('The new key').inputValue();
    expect(value).toMatch(/^omi_mcp_/);
    const listed = (await call(base, 'GET', '/v1/mcp/keys', session)).body as { name: string; key_prefix: string }[];
    const prefix = listed.find((k) => k.name === 'Assistant')!.key_prefix;
    await page.getByRole('row', { name: /Assistant/ }).getByText(prefix).waitFor();
    accept();
    await page.getByRole('button', { name: 'Revoke Assistant' }).click();
    await expect.poll(async () => (await call(base, 'GET', '/v1/mcp/keys', session)).body.length).toBe(0);
  });

  it('refuses a cross-site form post made with the console cookie', async () => {
    const before = (await memories()).length;
    const target = `${base}/console/api/v1/dev/user/memories`;
    const foreign = await serveForeignPage(
      `<form method="post" action="${target}" enctype="text/plain"><input name='{"content":"csrf attack","x":"' value='"}'></form>` +
        '<script>document.forms[0].submit()</script>',
    );
    try {
      const attacker = await context.newPage();
      const answer = attacker.waitForResponse((response) => response.url() === target);
      await attacker.goto(foreign.url);
      expect([401, 403]).toContain((await answer).status());
      await attacker.close();
    } finally {
      await foreign.close();
    }
    expect((await memories()).length).toBe(before);
  });

  it('works on a phone-sized screen with the menu', async () => {
    const phone = await h.browser.newContext({ baseURL: base, viewport: { width: 390, height: 844 }, storageState: await context.storageState() });
    const small = await phone.newPage();
    await small.goto('/goals');
    await small.getByRole('heading', { name: 'Goals' }).waitFor();
    const nav = small.getByRole('navigation', { name: 'Sections' });
    expect(await nav.isVisible()).toBe(false);
    await small.getByRole('button', { name: 'Menu' }).click();
    await small.getByRole('link', { name: 'Memories' }).click();
    await small.getByRole('heading', { name: 'Memories' }).waitFor();
    expect(await nav.isVisible()).toBe(false);
    await phone.close();
  });

  it('OAuth consent: shows a refused request, approves a client, lists and revokes it in connected apps', async (test) => {
    // The OAuth server is another part of this server: until its routes answer, this is skipped.
    if ((await call(base, 'GET', '/v1/mcp/oauth/grants', session)).status === 404) test.skip('OAuth routes are not registered');
    await page.goto('/consent?response_type=code&client_id=unknown-client&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb');
    await page.getByRole('heading', { name: 'Authorization request refused' }).waitFor();
    const refused = await call(base, 'GET', '/v1/mcp/oauth/authorize/request?response_type=code&client_id=unknown-client&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb', session);
    expect([400, 401]).toContain(refused.status);
    expect(await page.getByRole('alert').textContent()).toBe(refused.body.error_description);

    const app = await serveForeignPage('<p>client callback</p>');
    try {
      const redirectUri = `${app.url}cb`;
      const client = await call(base, 'POST', '/register', undefined, { client_name: 'Test Assistant', redirect_uris: [redirectUri] });
      expect(client.status).toBe(201);
      const verifier = randomBytes(32).toString('base64url');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const params = new URLSearchParams({
        response_type: 'code',
        client_id: client.body.client_id,
        redirect_uri: redirectUri,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 'state-1',
        scope: 'memories.read',
      });
      await page.goto(`/authorize?${params}`);
      await page.getByRole('heading', { name: /Allow Test Assistant/ }).waitFor();
      expect(await page.getByRole('list', { name: 'Requested permissions' }).textContent()).toContain('memories.read');
      await Promise.all([page.waitForURL((url) => url.href.startsWith(redirectUri)), page.getByRole('button', { name: 'Approve' }).click()]);
      const back = new URL(page.url());
      expect(back.searchParams.get('state')).toBe('state-1');
      expect(back.searchParams.get('code')).toBeTruthy();

      await page.goto('/apps');
      const apps = page.getByRole('list', { name: 'Connected apps' }).getByRole('listitem');
      await apps.filter({ hasText: 'Test Assistant' }).waitFor();
      accept();
      await page.getByRole('button', { name: 'Revoke Test Assistant' }).click();
      await expect.poll(async () => (await call(base, 'GET', '/v1/mcp/oauth/grants', session)).body.grants.length).toBe(0);
      expect(await apps.count()).toBe(0);

      params.set('state', 'state-2');
      await page.goto(`/authorize?${params}`);
      await Promise.all([page.waitForURL((url) => url.href.startsWith(redirectUri)), page.getByRole('button', { name: 'Deny' }).click()]);
      expect(new URL(page.url()).searchParams.get('error')).toBe('access_denied');
    } finally {
      await app.close();
    }
  });

  it('account: renames, refuses a wrong current password, changes the password', async () => {
    await page.goto('/memories');
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByLabel(/^Name/).fill('Ada King');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByText('Name saved.').waitFor();
    expect(await page.locator('.who').textContent()).toBe('Ada King');
    expect((await call(base, 'GET', '/v1/users/me', session)).body.name).toBe('Ada King');

    await page.getByLabel('Current password').fill('wrong password');
    await page.getByLabel(/^New password/).fill('a much newer password');
    await page.getByRole('button', { name: 'Change password' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('Current password is incorrect');
    await page.getByLabel('Current password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText(/Password changed/).waitFor();
    // Other sessions end; this one stays.
    expect((await call(base, 'GET', '/v1/users/me', session)).status).toBe(401);
    const relogin = await call(base, 'POST', '/v1/auth/login', undefined, { email: ADMIN.email, password: 'a much newer password' });
    expect(relogin.status).toBe(200);
    session = relogin.body.token;
    await page.reload();
    await page.getByRole('heading', { name: 'Account' }).waitFor();
  });

  it('signs out: back to sign-in, and the old cookie no longer works', async () => {
    const cookie = (await context.cookies()).find((c) => c.name === 'omi_console_session')!;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Omi' }).waitFor();
    expect((await context.cookies()).some((c) => c.name === 'omi_console_session')).toBe(false);
    const stale = await fetch(`${base}/v1/users/me`, { headers: { cookie: `omi_console_session=${cookie.value}` } });
    expect(stale.status).toBe(401);
    expect(problems).toEqual([]);
  });
});
