import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationIdForSession } from '../../src/lib/ids.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { GatedProcessor } from '../helpers/processors.ts';
import { expectSpecResponse } from '../helpers/spec.ts';

const BASE = '/v1/dev/user/conversations';
const NOW = '2026-01-15T10:00:00.000Z';

const MEETING = [
  { text: "Okay, let's get started. The Q3 budget review is due to finance on Friday.", speaker: 'SPEAKER_00', is_user: true, start: 0, end: 6 },
  { text: "Right. I'll send you the updated marketing numbers by tomorrow.", speaker: 'SPEAKER_01', start: 6.5, end: 11 },
  { text: 'Great. Can you also book the conference room for the planning session next week?', speaker: 'SPEAKER_00', is_user: true, start: 11.5, end: 17 },
  { text: "Sure, I'll book it today. We should also hire a contractor for the website redesign.", speaker: 'SPEAKER_01', start: 17.5, end: 24 },
];

interface Wire {
  id: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  source: string | null;
  language: string | null;
  folder_id: string | null;
  folder_name: string | null;
  structured: { title: string; overview: string; emoji: string; category: string; action_items: { description: string; conversation_id: string | null }[]; events: unknown[] };
  transcript_segments?: { id: string | null; text: string; speaker_id: number | null; speaker_name: string | null; start: number; end: number }[] | null;
  geolocation: unknown;
}

let ctx: TestContext;
const gate = new GatedProcessor();

beforeAll(async () => {
  ctx = await createTestContext({}, { processor: gate });
});

afterAll(() => ctx.close());

async function fromText(key: string, body: Record<string, unknown>) {
  const res = await ctx.call('POST', BASE, key, body);
  expect(res.statusCode, res.body).toBe(200);
  expectSpecResponse('createConversation', 200, res.json());
  return res.json<{ id: string; status: string; discarded: boolean }>();
}

async function fromSegments(key: string, body: Record<string, unknown>) {
  const res = await ctx.call('POST', `${BASE}/from-segments`, key, body);
  expect(res.statusCode, res.body).toBe(200);
  expectSpecResponse('createConversationFromSegments', 200, res.json());
  return res.json<{ id: string; status: string; discarded: boolean }>();
}

async function get(key: string, id: string, query = ''): Promise<Wire> {
  const res = await ctx.call('GET', `${BASE}/${id}${query}`, key);
  expect(res.statusCode, res.body).toBe(200);
  expectSpecResponse('getConversation', 200, res.json());
  return res.json<Wire>();
}

async function list(key: string, query = ''): Promise<Wire[]> {
  const res = await ctx.call('GET', `${BASE}${query}`, key);
  expect(res.statusCode, res.body).toBe(200);
  expectSpecResponse('listConversations', 200, res.json());
  return res.json<Wire[]>();
}

const detail = (res: { json: <T>() => T }) => res.json<{ detail: unknown }>().detail;

describe('POST /v1/dev/user/conversations', () => {
  it('creates a completed conversation with a structured summary and documented defaults', async () => {
    ctx.clock.set(NOW);
    const { key } = await ctx.developer();
    const created = await fromText(key, {
      text: 'We agreed to move the product launch to March. I need to update the roadmap and tell the sales team before Friday.',
    });
    expect(created).toMatchObject({ status: 'completed', discarded: false });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    const conversation = await get(key, created.id);
    expect(conversation).toMatchObject({
      created_at: NOW,
      started_at: NOW,
      finished_at: '2026-01-15T10:05:00.000Z',
      source: 'external_integration',
      language: 'en',
      folder_id: null,
      folder_name: null,
      geolocation: null,
    });
    expect(conversation.structured.title.length).toBeGreaterThan(0);
    expect(conversation.structured.overview.length).toBeGreaterThan(0);
    expect(conversation).not.toHaveProperty('transcript_segments');
  });

  it('keeps the text but returns no transcript segments for it, as upstream', async () => {
    const { key } = await ctx.developer();
    const { id } = await fromText(key, { text: 'Remind me to renew my passport before the trip to Japan in April.' });
    expect((await get(key, id, '?include_transcript=true')).transcript_segments).toEqual([]);
    const stored = await ctx.storage.conversations.get((await ctx.services.apiKeys.authenticate(key)).userId, id, { withTranscript: true });
    expect(stored?.text).toBe('Remind me to renew my passport before the trip to Japan in April.');
  });

  it('uses started_at, finished_at, language, text_source and geolocation when given', async () => {
    const { key } = await ctx.developer();
    const { id } = await fromText(key, {
      text: 'Lunch with Marta about her new job at the hospital; she starts on Monday.',
      text_source: 'message',
      text_source_spec: 'whatsapp',
      started_at: '2026-01-10T12:00:00+02:00',
      finished_at: '2026-01-10T12:00:00+02:00',
      language: 'pt',
      geolocation: { latitude: 38.72, longitude: -9.14, address: 'Lisbon' },
    });
    const conversation = await get(key, id);
    expect(conversation).toMatchObject({
      started_at: '2026-01-10T10:00:00.000Z',
      finished_at: '2026-01-10T10:00:00.000Z',
      language: 'pt',
      geolocation: { latitude: 38.72, longitude: -9.14, address: 'Lisbon', google_place_id: null, location_type: null },
    });
  });

  it.each([
    [{ text: '   \n ' }, 'text cannot be empty'],
    [{ text: 'hello there', started_at: '2026-01-10T12:00:00Z', finished_at: '2026-01-10T11:59:59Z' }, 'finished_at must be after started_at'],
    [{ text: 'hello there', geolocation: { latitude: 91, longitude: 0 } }, 'latitude must be between -90 and 90'],
    [{ text: 'hello there', geolocation: { latitude: 0, longitude: -180.5 } }, 'longitude must be between -180 and 180'],
  ])('returns 422 for %j', async (body, message) => {
    const { key } = await ctx.developer();
    const res = await ctx.call('POST', BASE, key, body);
    expect(res.statusCode).toBe(422);
    expect(detail(res)).toBe(message);
    expect(await list(key)).toEqual([]);
  });

  it.each([
    [{ text: '' }, 'string_too_short'],
    [{ text: 'x'.repeat(100_001) }, 'string_too_long'],
    [{ text: 'hi', text_source: 'email' }, 'enum'],
    [{}, 'missing'],
  ])('returns a validation list for %#', async (body, type) => {
    const { key } = await ctx.developer();
    const res = await ctx.call('POST', BASE, key, body);
    expect(res.statusCode).toBe(422);
    expect(detail(res)).toEqual([expect.objectContaining({ type })]);
  });

  it('marks meaningless text as discarded: fetchable by id, absent from lists, nothing extracted', async () => {
    const { key, userId } = await ctx.developer();
    const created = await fromText(key, { text: 'um uh yeah okay um' });
    expect(created).toMatchObject({ status: 'completed', discarded: true });
    expect((await get(key, created.id)).id).toBe(created.id);
    expect(await list(key)).toEqual([]);
    await ctx.drainJobs();
    expect(await ctx.storage.folders.list(userId)).toEqual([]);
    expect(await ctx.storage.actionItems.list(userId, { limit: 10, offset: 0 })).toEqual([]);
  });
});

describe('POST /v1/dev/user/conversations/from-segments', () => {
  it('stores the segments and derives speaker ids; speaker names are computed on read', async () => {
    ctx.clock.set(NOW);
    const { key, session } = await ctx.developer();
    const { id } = await fromSegments(key, { transcript_segments: MEETING, started_at: '2026-01-14T09:00:00Z' });
    const conversation = await get(key, id, '?include_transcript=true');
    expect(conversation).toMatchObject({ source: 'phone', started_at: '2026-01-14T09:00:00.000Z', finished_at: '2026-01-14T09:00:24.000Z' });
    expect(conversation.transcript_segments!.map((s) => [s.speaker_id, s.speaker_name, s.start, s.end])).toEqual([
      [0, 'Test User', 0, 6],
      [1, 'Speaker 1', 6.5, 11],
      [0, 'Test User', 11.5, 17],
      [1, 'Speaker 1', 17.5, 24],
    ]);
    expect(conversation.transcript_segments![0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(session).toBeTruthy();
    expect(conversation.structured.action_items.length).toBeGreaterThan(0);
    expect(conversation.structured.action_items.every((item) => item.conversation_id === id)).toBe(true);
  });

  it('keeps an explicit speaker_id, and names speakers without a number Speaker 0', async () => {
    const { key } = await ctx.developer();
    const { id } = await fromSegments(key, {
      transcript_segments: [
        { text: 'The new office opens in Porto next month.', speaker: 'SPEAKER_07', speaker_id: 3, start: 0, end: 2 },
        { text: 'That is great news for the engineering team.', speaker: 'guest', start: 2, end: 4 },
        { text: 'Everyone will move there by June.', speaker: null, start: 4, end: 6 },
      ],
    });
    const segments = (await get(key, id, '?include_transcript=true')).transcript_segments!;
    expect(segments.map((s) => [s.speaker_id, s.speaker_name])).toEqual([
      [3, 'Speaker 3'],
      [0, 'Speaker 0'],
      [0, 'Speaker 0'],
    ]);
  });

  it.each([
    [[{ text: '  ', start: 0, end: 1 }], 'Segment 0: text cannot be empty'],
    [[{ text: 'fine', start: 0, end: 1 }, { text: 'bad', start: -1, end: 1 }], 'Segment 1: start time cannot be negative'],
    [[{ text: 'fine', start: 0, end: 1 }, { text: 'bad', start: 2, end: 2 }], 'Segment 1: end time must be after start time'],
  ])('returns 422 with the segment index: %s', async (segments, message) => {
    const { key } = await ctx.developer();
    const res = await ctx.call('POST', `${BASE}/from-segments`, key, { transcript_segments: segments });
    expect(res.statusCode).toBe(422);
    expect(detail(res)).toBe(message);
  });

  it('requires finished_at to be strictly after started_at', async () => {
    const { key } = await ctx.developer();
    const res = await ctx.call('POST', `${BASE}/from-segments`, key, {
      transcript_segments: MEETING,
      started_at: '2026-01-14T09:00:00Z',
      finished_at: '2026-01-14T09:00:00Z',
    });
    expect(res.statusCode).toBe(422);
    expect(detail(res)).toBe('finished_at must be after started_at');
  });

  it('refuses an empty or over-long segment list with a validation list', async () => {
    const { key } = await ctx.developer();
    for (const segments of [[], Array.from({ length: 501 }, (_, i) => ({ text: `line ${i}`, start: i, end: i + 1 }))]) {
      const res = await ctx.call('POST', `${BASE}/from-segments`, key, { transcript_segments: segments });
      expect(res.statusCode).toBe(422);
      expect(detail(res)).toEqual([expect.objectContaining({ loc: ['body', 'transcript_segments'] })]);
    }
  });
});

describe('POST /v1/dev/user/conversations/from-segments › client_session_id', () => {
  it('derives the id from the account and session id (UUIDv5) and answers a retry without reprocessing', async () => {
    const { key, userId } = await ctx.developer();
    const first = await fromSegments(key, { transcript_segments: MEETING, client_session_id: 'session-42' });
    expect(first.id).toBe(conversationIdForSession(userId, 'session-42'));
    const calls = gate.calls;
    const retry = await fromSegments(key, { transcript_segments: MEETING, client_session_id: '  session-42 ' });
    expect(retry).toEqual(first);
    expect(gate.calls).toBe(calls);
    expect(await list(key)).toHaveLength(1);
  });

  it.each(['client_conversation_id', 'session_id', 'client_id'])('accepts %s as an alias', async (alias) => {
    const { key, userId } = await ctx.developer();
    const { id } = await fromSegments(key, { transcript_segments: MEETING, [alias]: 'abc' });
    expect(id).toBe(conversationIdForSession(userId, 'abc'));
  });

  it('gives two accounts with the same session id two conversations', async () => {
    const a = await ctx.developer();
    const b = await ctx.developer();
    const one = await fromSegments(a.key, { transcript_segments: MEETING, client_session_id: 'same' });
    const two = await fromSegments(b.key, { transcript_segments: MEETING, client_session_id: 'same' });
    expect(one.id).not.toBe(two.id);
  });

  it('refuses a blank or over-long session id', async () => {
    const { key } = await ctx.developer();
    const blank = await ctx.call('POST', `${BASE}/from-segments`, key, { transcript_segments: MEETING, client_session_id: '   ' });
    expect(blank.statusCode).toBe(422);
    expect(detail(blank)).toBe('client_session_id cannot be empty');
    const long = await ctx.call('POST', `${BASE}/from-segments`, key, { transcript_segments: MEETING, client_session_id: 'x'.repeat(201) });
    expect(long.statusCode).toBe(422);
    const wrongType = await ctx.call('POST', `${BASE}/from-segments`, key, { transcript_segments: MEETING, session_id: 5 });
    expect(wrongType.statusCode).toBe(422);
  });

  it('answers 409 to a retry while the first request is still processing, then the finished record', async () => {
    const { key } = await ctx.developer();
    const body = { transcript_segments: MEETING, client_session_id: 'in-flight' };
    gate.closed = true;
    const first = ctx.call('POST', `${BASE}/from-segments`, key, body);
    await gate.arrived();
    const concurrent = await Promise.all([1, 2, 3].map(() => ctx.call('POST', `${BASE}/from-segments`, key, body)));
    for (const res of concurrent) {
      expect(res.statusCode).toBe(409);
      expect(detail(res)).toBe('Conversation creation already in progress');
    }
    gate.closed = false;
    gate.release();
    const done = await first;
    expect(done.statusCode).toBe(200);
    const retry = await fromSegments(key, body);
    expect(retry.id).toBe(done.json<{ id: string }>().id);
    expect(await list(key)).toHaveLength(1);
  });

  it('creates exactly one conversation under many concurrent identical requests', async () => {
    const { key } = await ctx.developer();
    const body = { transcript_segments: MEETING, client_session_id: 'storm' };
    const responses = await Promise.all(Array.from({ length: 8 }, () => ctx.call('POST', `${BASE}/from-segments`, key, body)));
    const ok = responses.filter((r) => r.statusCode === 200);
    expect(ok.length).toBeGreaterThan(0);
    expect(responses.every((r) => r.statusCode === 200 || r.statusCode === 409)).toBe(true);
    expect(new Set(ok.map((r) => r.json<{ id: string }>().id)).size).toBe(1);
    expect(await list(key)).toHaveLength(1);
  });

  it('lets a retry take over a claim older than 15 minutes; the late original then answers with that record', async () => {
    const { key } = await ctx.developer();
    const body = { transcript_segments: MEETING, client_session_id: 'stale' };
    gate.closed = true;
    const original = ctx.call('POST', `${BASE}/from-segments`, key, body);
    await gate.arrived();
    gate.closed = false;
    ctx.clock.advance(16 * 60_000);
    const takeover = await fromSegments(key, body);
    gate.release();
    const late = await original;
    expect(late.statusCode).toBe(200);
    expect(late.json()).toEqual(takeover);
    expect((await list(key)).map((c) => c.id)).toEqual([takeover.id]);
  });

  it('removes the claim when processing fails, so a retry can succeed', async () => {
    const { key } = await ctx.developer();
    const body = { transcript_segments: MEETING, client_session_id: 'fails-once' };
    gate.closed = true;
    const failing = ctx.call('POST', `${BASE}/from-segments`, key, body);
    await gate.arrived();
    gate.closed = false;
    gate.release(new Error('processor crashed'));
    const res = await failing;
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('processor crashed');
    expect((await fromSegments(key, body)).status).toBe('completed');
  });
});

describe('GET /v1/dev/user/conversations', () => {
  let key: string;
  const ids: string[] = [];

  beforeAll(async () => {
    ({ key } = await ctx.developer());
    const texts = [
      'The quarterly revenue grew twelve percent, and the board approved the hiring plan for the sales team.',
      'My doctor said my blood pressure is fine, but I should keep running three times a week.',
      'We watched the new science fiction movie at the cinema and then had pizza with friends.',
    ];
    for (const [i, text] of texts.entries()) {
      ctx.clock.set(`2026-02-0${i + 1}T10:00:00.000Z`);
      ids.push((await fromText(key, { text })).id);
    }
  });

  it('lists newest first without transcripts', async () => {
    const conversations = await list(key);
    expect(conversations.map((c) => c.id)).toEqual([...ids].reverse());
    for (const c of conversations) expect(c).not.toHaveProperty('transcript_segments');
  });

  it('filters by created_at with inclusive bounds', async () => {
    expect((await list(key, '?start_date=2026-02-02T10:00:00Z')).map((c) => c.id)).toEqual([ids[2], ids[1]]);
    expect((await list(key, '?end_date=2026-02-02T10:00:00Z')).map((c) => c.id)).toEqual([ids[1], ids[0]]);
    expect((await list(key, '?start_date=2026-02-02&end_date=2026-02-02T23:59:59')).map((c) => c.id)).toEqual([ids[1]]);
  });

  it('filters by category and refuses an unknown one with 400', async () => {
    const all = await list(key);
    const category = all[0]!.structured.category;
    const filtered = await list(key, `?categories=${category}, ${category}`);
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((c) => c.structured.category === category)).toBe(true);
    const res = await ctx.call('GET', `${BASE}?categories=work,nonsense`, key);
    expect(res.statusCode).toBe(400);
    expect(detail(res)).toBe("Invalid category 'nonsense' is not a valid CategoryEnum");
  });

  it('filters by starred and folder_id (a blank folder_id is a 422)', async () => {
    expect(await list(key, '?starred=true')).toEqual([]);
    expect(await list(key, '?starred=false')).toHaveLength(3);
    expect(await list(key, '?folder_id=no-such-folder')).toEqual([]);
    expect((await ctx.call('GET', `${BASE}?folder_id=`, key)).statusCode).toBe(422);
  });

  it('clamps limit to 1..100, or 1..25 with transcripts, and a negative offset to 0', async () => {
    expect(await list(key, '?limit=0')).toHaveLength(1);
    expect(await list(key, '?limit=1&offset=-5')).toHaveLength(1);
    expect((await list(key, '?limit=2&offset=2')).map((c) => c.id)).toEqual([ids[0]]);
    const many = await ctx.developer();
    const userId = many.userId;
    const stored = await ctx.storage.conversations.get(
      (await ctx.services.apiKeys.authenticate(key)).userId,
      ids[0]!,
      { withTranscript: true },
    );
    for (let i = 0; i < 110; i++) {
      await ctx.storage.conversations.insert({ ...stored!, userId, id: `bulk-${String(i).padStart(3, '0')}` });
    }
    expect(await list(many.key, '?limit=1000')).toHaveLength(100);
    const withTranscripts = await list(many.key, '?limit=1000&include_transcript=true');
    expect(withTranscripts).toHaveLength(25);
    expect(withTranscripts.every((c) => Array.isArray(c.transcript_segments))).toBe(true);
  });

  it('excludes conversations still processing', async () => {
    const { key: other, userId } = await ctx.developer();
    const stored = await ctx.storage.conversations.get(
      (await ctx.services.apiKeys.authenticate(key)).userId,
      ids[0]!,
      { withTranscript: true },
    );
    await ctx.storage.conversations.insert({ ...stored!, userId, id: 'placeholder', status: 'processing' });
    expect(await list(other)).toEqual([]);
    expect((await get(other, 'placeholder')).id).toBe('placeholder');
  });
});

describe('GET /v1/dev/user/conversations/{conversation_id}', () => {
  it("returns 404 for an unknown id and for another user's conversation", async () => {
    const a = await ctx.developer();
    const b = await ctx.developer();
    const { id } = await fromText(a.key, { text: 'Planning the garden: tomatoes in May, and fix the fence this weekend.' });
    for (const [key, target] of [[a.key, 'nope'], [b.key, id]] as const) {
      const res = await ctx.call('GET', `${BASE}/${target}`, key);
      expect(res.statusCode).toBe(404);
      expect(detail(res)).toBe('Conversation not found');
    }
  });
});

describe('PATCH /v1/dev/user/conversations/{conversation_id}', () => {
  it('renames, discards and restores', async () => {
    const { key } = await ctx.developer();
    const { id } = await fromText(key, { text: 'We chose the blue tiles for the kitchen renovation and the plumber comes Tuesday.' });
    const renamed = await ctx.call('PATCH', `${BASE}/${id}`, key, { title: '  Kitchen renovation  ' });
    expect(renamed.statusCode).toBe(200);
    expectSpecResponse('updateConversation', 200, renamed.json());
    expect(renamed.json<Wire>().structured.title).toBe('Kitchen renovation');

    expect((await ctx.call('PATCH', `${BASE}/${id}`, key, { discarded: true })).statusCode).toBe(200);
    expect(await list(key)).toEqual([]);
    expect((await get(key, id)).structured.title).toBe('Kitchen renovation');
    expect((await ctx.call('PATCH', `${BASE}/${id}`, key, { discarded: false })).statusCode).toBe(200);
    expect((await list(key)).map((c) => c.id)).toEqual([id]);
  });

  it.each([
    [{}, 422, 'At least one field (title or discarded) must be provided'],
    [{ title: null, discarded: null }, 422, 'At least one field (title or discarded) must be provided'],
    [{ title: '   ' }, 422, 'title cannot be empty'],
  ])('answers %j with %i', async (body, status, message) => {
    const { key } = await ctx.developer();
    const { id } = await fromText(key, { text: 'Booked the flights to Rome for the conference in October.' });
    const res = await ctx.call('PATCH', `${BASE}/${id}`, key, body);
    expect(res.statusCode).toBe(status);
    expect(detail(res)).toBe(message);
  });

  it('returns 404 for an unknown conversation', async () => {
    const { key } = await ctx.developer();
    const res = await ctx.call('PATCH', `${BASE}/missing`, key, { title: 'x' });
    expect(res.statusCode).toBe(404);
    expect(detail(res)).toBe('Conversation not found');
  });
});

describe('DELETE /v1/dev/user/conversations/{conversation_id}', () => {
  it('deletes permanently; a second delete is a 404', async () => {
    const { key } = await ctx.developer();
    const { id } = await fromText(key, { text: 'The team retrospective found that code reviews take too long.' });
    const res = await ctx.call('DELETE', `${BASE}/${id}`, key);
    expect(res.statusCode).toBe(200);
    expectSpecResponse('deleteConversation', 200, res.json());
    expect(res.json()).toEqual({ success: true });
    expect((await ctx.call('GET', `${BASE}/${id}`, key)).statusCode).toBe(404);
    const again = await ctx.call('DELETE', `${BASE}/${id}`, key);
    expect(again.statusCode).toBe(404);
    expect(detail(again)).toBe('Conversation not found');
  });
});

describe('rate limits', () => {
  it('charges transcript reads to dev:conversation_transcript_read on top of the route policy', async () => {
    const limited = await createTestContext({ OMI_RATE_LIMIT_MULTIPLIER: '1' });
    try {
      const { key } = await limited.developer();
      for (let i = 0; i < 25; i++) {
        expect((await limited.call('GET', `${BASE}?include_transcript=true`, key)).statusCode).toBe(200);
      }
      const over = await limited.call('GET', `${BASE}?include_transcript=true`, key);
      expect(over.statusCode).toBe(429);
      expect(over.headers['retry-after']).toBeDefined();
      expect((await limited.call('GET', BASE, key)).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
