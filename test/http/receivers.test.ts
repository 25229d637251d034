import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.ts';

/** The Omi app's memory_created body, exactly as its documentation's sample (omi-webhooks-and-data.md §2.2). */
const SAMPLE = `{"id":"5b0c8a3e-2f4d-4c1a-9e7b-1d2c3b4a5f60","created_at":"2026-05-06T14:02:11.482913+00:00",
 "started_at":"2026-05-06T14:02:11.482913+00:00","finished_at":"2026-05-06T14:09:47.120034+00:00",
 "source":"omi","language":"en",
 "structured":{"title":"Planning the Q3 launch","overview":"Alex and Sam agreed to ship the beta on June 2.",
  "emoji":"🚀","category":"business",
  "action_items":[{"description":"Send the launch checklist to Sam","completed":false,"created_at":null,
   "updated_at":null,"due_at":"2026-05-08T17:00:00+00:00","completed_at":null,"conversation_id":null}],
  "events":[{"title":"Launch review","description":"Readiness check","start":"2026-05-12T16:00:00+00:00","duration":45,"created":false}]},
 "transcript_segments":[
  {"id":"0f6d2c1e-8a51-4e0b-9a57-3c2b1a0d9e8f","text":"Can we still make June 2?","speaker":"SPEAKER_00","speaker_id":0,
   "is_user":true,"person_id":null,"start":0.0,"end":2.7,"translations":[],"speech_profile_processed":true,"stt_provider":null,"speaker_name":"Alex"}],
 "transcript_segments_compressed":false,
 "geolocation":{"google_place_id":"ChIJIQBpAG2ahYAR_6128GcTUEo","latitude":37.7749,"longitude":-122.4194,
  "address":"Market St, San Francisco, CA, USA","location_type":"establishment"},
 "photos":[],"audio_files":[],"private_cloud_sync_enabled":false,
 "apps_results":[{"app_id":"summary_assistant","content":"Beta ships June 2."}],"suggested_summarization_apps":[],
 "plugins_results":[{"plugin_id":"summary_assistant","content":"Beta ships June 2."}],
 "external_data":null,"app_id":null,"discarded":false,"visibility":"private","starred":false,
 "processing_memory_id":null,"processing_conversation_id":null,"status":"completed","is_locked":false,
 "data_protection_level":"standard","folder_id":"3d2c1b0a-9f8e-4d7c-b6a5-948372615041","call_id":null,"folder_name":"Work"}`;
const SAMPLE_ID = '5b0c8a3e-2f4d-4c1a-9e7b-1d2c3b4a5f60';
const OMI_UID = 'Xa9fKq2LmN0pQrStUvWx';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ OMI_PUBLIC_URL: 'https://omi.example.com' });
});

afterAll(() => ctx.close());

type Urls = Record<'memory_created' | 'realtime_transcript' | 'day_summary', string>;

async function receiverUrls(session: string): Promise<Urls> {
  const res = await ctx.call('GET', '/v1/users/developer/receivers', session);
  expect(res.statusCode).toBe(200);
  return res.json() as Urls;
}

/** POSTs as the Omi app does: the absolute URL's path with `?uid=`, a JSON body. */
function deliver(url: string, body: unknown) {
  const path = new URL(url).pathname;
  return ctx.app.inject({
    method: 'POST',
    url: `${path}?uid=${OMI_UID}`,
    headers: { 'content-type': 'application/json' },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function conversations(key: string) {
  const res = await ctx.call('GET', '/v1/dev/user/conversations?include_transcript=true&limit=25', key);
  expect(res.statusCode).toBe(200);
  return res.json() as { id: string; structured: { title: string }; transcript_segments: { text: string }[] }[];
}

describe('receiver URLs', () => {
  it('are absolute, hold an unguessable token, stay stable, and need a session', async () => {
    const { session } = await ctx.signIn();
    const urls = await receiverUrls(session);
    for (const kind of ['memory_created', 'realtime_transcript', 'day_summary'] as const) {
      expect(urls[kind]).toMatch(new RegExp(`^https://omi\\.example\\.com/v1/receivers/[A-Za-z0-9_-]{32}/${kind}$`));
    }
    expect(await receiverUrls(session)).toEqual(urls);
    expect((await ctx.call('GET', '/v1/users/developer/receivers')).statusCode).toBe(401);
  });

  it('rotate issues new URLs and the old ones answer 404', async () => {
    const { session, key } = await ctx.developer();
    const old = await receiverUrls(session);
    const res = await ctx.call('POST', '/v1/users/developer/receivers/rotate', session);
    expect(res.statusCode).toBe(200);
    const fresh = res.json() as Urls;
    expect(fresh.memory_created).not.toBe(old.memory_created);
    expect(await receiverUrls(session)).toEqual(fresh);
    const stale = await deliver(old.memory_created, SAMPLE);
    expect(stale.statusCode).toBe(404);
    expect(stale.json()).toEqual({ detail: 'Not Found' });
    expect((await deliver(fresh.memory_created, SAMPLE)).statusCode).toBe(200);
    await ctx.drainJobs();
    expect((await conversations(key)).map((c) => c.id)).toEqual([SAMPLE_ID]);
  });

  it('an unknown token is 404 and stores nothing', async () => {
    const res = await deliver('https://x/v1/receivers/not-a-real-token-aaaaaaaaaaaaaaaaaa/memory_created', SAMPLE);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: 'Not Found' });
  });
});

describe('memory_created', () => {
  it('stores the sample as sent, readable through the Developer API, once when delivered twice', async () => {
    const { session, key, userId } = await ctx.developer();
    const urls = await receiverUrls(session);
    expect((await deliver(urls.memory_created, SAMPLE)).statusCode).toBe(200);
    // Durable before the 2xx: the payload waits in the inbox until the job runs.
    expect(await ctx.storage.receivers.inboxSize(userId)).toBe(1);
    expect((await deliver(urls.memory_created, SAMPLE)).statusCode).toBe(200);
    await ctx.drainJobs();
    expect(await ctx.storage.receivers.inboxSize(userId)).toBe(0);

    const res = await ctx.call('GET', `/v1/dev/user/conversations/${SAMPLE_ID}?include_transcript=true`, key);
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(Date.parse(c.started_at)).toBe(Date.parse('2026-05-06T14:02:11.482Z'));
    expect(c.structured).toMatchObject({
      title: 'Planning the Q3 launch',
      overview: 'Alex and Sam agreed to ship the beta on June 2.',
      emoji: '🚀',
      category: 'business',
    });
    expect(c.structured.action_items).toEqual([
      expect.objectContaining({ description: 'Send the launch checklist to Sam', completed: false }),
    ]);
    expect(c.structured.events).toEqual([
      expect.objectContaining({ title: 'Launch review', description: 'Readiness check', duration: 45 }),
    ]);
    expect(c.transcript_segments).toEqual([
      expect.objectContaining({ id: '0f6d2c1e-8a51-4e0b-9a57-3c2b1a0d9e8f', text: 'Can we still make June 2?', speaker_id: 0, speaker_name: 'Test User' }),
    ]);
    expect(c.geolocation).toMatchObject({ latitude: 37.7749, longitude: -122.4194, address: 'Market St, San Francisco, CA, USA' });
    expect(c.language).toBe('en');
    expect(c.folder_name).toBe('Work');
    expect((await conversations(key)).map((x) => x.id)).toEqual([SAMPLE_ID]);

    // This server's pipeline ran: the structured action item is a standalone task, once.
    const items = (await ctx.call('GET', '/v1/dev/user/action-items', key)).json() as { description: string; conversation_id: string }[];
    expect(items.filter((i) => i.description === 'Send the launch checklist to Sam')).toHaveLength(1);
    expect(items[0]!.conversation_id).toBe(SAMPLE_ID);
  });

  it('refuses malformed payloads with a detail and stores nothing', async () => {
    const { session, key, userId } = await ctx.developer();
    const urls = await receiverUrls(session);
    const sample = JSON.parse(SAMPLE) as Record<string, unknown>;
    const bad: [unknown, number][] = [
      ['{"id": ', 400],
      [{ ...sample, id: undefined }, 422],
      [{ ...sample, structured: 'nope' }, 422],
      [{ ...sample, created_at: 'yesterday' }, 422],
      [{ ...sample, transcript_segments: [{ text: 'x', start: 'zero', end: 1 }] }, 422],
      [{ ...sample, geolocation: { latitude: 200, longitude: 0 } }, 422],
      [{ ...sample, started_at: '2026-05-06T15:00:00Z', finished_at: '2026-05-06T14:00:00Z' }, 422],
    ];
    for (const [body, status] of bad) {
      const res = await deliver(urls.memory_created, body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect([status, 400, 422]).toContain(res.statusCode);
      expect(res.json().detail).toBeDefined();
    }
    expect(await ctx.storage.receivers.inboxSize(userId)).toBe(0);
    await ctx.drainJobs();
    expect(await conversations(key)).toEqual([]);
  });

  it("one user's token cannot write into another account", async () => {
    const alice = await ctx.developer();
    const bob = await ctx.developer();
    const bobUrls = await receiverUrls(bob.session);
    // Bob's receiver, even with Alice's Omi uid in the query, writes only into Bob's account.
    const res = await ctx.app.inject({
      method: 'POST',
      url: `${new URL(bobUrls.memory_created).pathname}?uid=${alice.userId}`,
      headers: { 'content-type': 'application/json' },
      payload: SAMPLE,
    });
    expect(res.statusCode).toBe(200);
    await ctx.drainJobs();
    expect(await conversations(alice.key)).toEqual([]);
    expect((await conversations(bob.key)).map((c) => c.id)).toEqual([SAMPLE_ID]);
  });
});

const segment = (id: string, text: string, start: number, isUser = false) => ({
  id,
  text,
  speaker: isUser ? 'SPEAKER_00' : 'SPEAKER_01',
  speaker_id: isUser ? 0 : 1,
  is_user: isUser,
  person_id: null,
  start,
  end: start + 2,
  translations: [],
  speech_profile_processed: true,
  stt_provider: null,
});

describe('realtime_transcript', () => {
  it('assembles buffered segments into conversations split by a silence gap, ignoring duplicates', async () => {
    const { session, key, userId } = await ctx.developer();
    const urls = await receiverUrls(session);
    const batch = (segments: unknown[]) => deliver(urls.realtime_transcript, { segments, session_id: OMI_UID });

    ctx.clock.set('2026-01-20T09:00:00.000Z');
    expect((await batch([segment('s1', 'We need to renew the office lease before March.', 0, true)])).statusCode).toBe(200);
    ctx.clock.advance(60_000);
    const second = [segment('s2', 'I will call the landlord about the lease on Monday.', 60), segment('s1', 'duplicate', 0, true)];
    expect((await batch(second)).statusCode).toBe(200);
    expect((await batch([segment('s2', 'duplicate again', 60)])).statusCode).toBe(200);
    // Silence longer than the gap, then a new conversation begins.
    ctx.clock.advance(5 * 60_000);
    await ctx.drainJobs();
    expect((await batch([segment('t1', 'The dentist appointment moved to Thursday afternoon.', 400, true)])).statusCode).toBe(200);
    ctx.clock.advance(5 * 60_000);
    await ctx.drainJobs();

    const stored = await conversations(key);
    expect(stored).toHaveLength(2);
    const texts = stored.map((c) => c.transcript_segments.map((s) => s.text)).sort((a, b) => a.length - b.length);
    expect(texts).toEqual([
      ['The dentist appointment moved to Thursday afternoon.'],
      ['We need to renew the office lease before March.', 'I will call the landlord about the lease on Monday.'],
    ]);
    expect(await ctx.storage.receivers.bufferedSegments(userId)).toEqual([]);
    // A conversation made of live segments goes through the pipeline like any other.
    for (const c of stored) expect(c.structured.title).not.toBe('');
  });

  it('a buffer still within the gap is not closed, and survives in the database', async () => {
    const { session, key, userId } = await ctx.developer();
    const urls = await receiverUrls(session);
    ctx.clock.set('2026-01-21T09:00:00.000Z');
    await deliver(urls.realtime_transcript, { segments: [segment('u1', 'Remember to water the plants.', 0, true)], session_id: OMI_UID });
    ctx.clock.advance(30_000);
    await ctx.drainJobs();
    expect(await conversations(key)).toEqual([]);
    expect((await ctx.storage.receivers.bufferedSegments(userId)).map((s) => s.segment.id)).toEqual(['u1']);
  });

  it('refuses a malformed batch and stores nothing', async () => {
    const { session, userId } = await ctx.developer();
    const urls = await receiverUrls(session);
    for (const body of [{ session_id: 'x' }, { segments: [{ text: 'no id', start: 0, end: 1 }] }, { segments: [segment('a', 'x', 5)].map((s) => ({ ...s, end: 1 })) }]) {
      const res = await deliver(urls.realtime_transcript, body);
      expect(res.statusCode).toBe(422);
      expect(res.json().detail).toBeDefined();
    }
    expect(await ctx.storage.receivers.bufferedSegments(userId)).toEqual([]);
  });
});

describe('day_summary', () => {
  const recap = (headline: string) => ({
    summary: "{'headline': 'ignored when summary_json is sent'}",
    uid: OMI_UID,
    created_at: '2026-05-06T22:00:05.120000+00:00',
    summary_json: {
      id: 'ds1',
      date: '2026-05-06',
      headline,
      overview: 'Launch planning and a dentist visit.',
      day_emoji: '🚀',
      stats: { total_conversations: 3, total_duration_minutes: 42, action_items_count: 1 },
      highlights: [{ topic: 'Launch', emoji: '🚀', summary: 'Beta ships June 2.', conversation_ids: [] }],
      action_items: [{ description: 'Send the checklist', priority: 'high', completed: false, source_conversation_id: null }],
      knowledge_nuggets: [{ insight: 'Betas ship on Mondays.', conversation_id: null }],
    },
  });

  it('stores the recap as the daily summary of its date, once per date', async () => {
    const { session, key } = await ctx.developer();
    const urls = await receiverUrls(session);
    expect((await deliver(urls.day_summary, recap('A launch day'))).statusCode).toBe(200);
    await ctx.drainJobs();
    expect((await deliver(urls.day_summary, recap('A launch day, revised'))).statusCode).toBe(200);
    await ctx.drainJobs();
    const res = await ctx.call('GET', '/v1/dev/user/daily-summaries', key);
    expect(res.statusCode).toBe(200);
    const list = (res.json() as { summaries: { date: string; headline: string; overview: string; day_emoji: string }[] }).summaries;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ date: '2026-05-06', headline: 'A launch day, revised', overview: 'Launch planning and a dentist visit.', day_emoji: '🚀' });
  });

  it('takes the plain summary when there is no summary_json, and refuses a malformed one', async () => {
    const { session, key } = await ctx.developer();
    const urls = await receiverUrls(session);
    const bad = await deliver(urls.day_summary, { summary: 'x', created_at: 'not a date' });
    expect(bad.statusCode).toBe(422);
    expect((await deliver(urls.day_summary, { uid: OMI_UID, created_at: '2026-05-07T22:00:00' })).statusCode).toBe(422);
    const ok = await deliver(urls.day_summary, { summary: "{'overview': 'Quiet day.'}", uid: OMI_UID, created_at: '2026-05-07T22:00:00' });
    expect(ok.statusCode).toBe(200);
    await ctx.drainJobs();
    const list = ((await ctx.call('GET', '/v1/dev/user/daily-summaries', key)).json() as { summaries: { date: string; overview: string }[] }).summaries;
    expect(list).toEqual([expect.objectContaining({ date: '2026-05-07', overview: "{'overview': 'Quiet day.'}" })]);
  });
});
