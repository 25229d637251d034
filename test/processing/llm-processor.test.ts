import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OpenAiCompatibleEndpoint } from '../../src/config/config.ts';
import { createMemoryCategorizer, createProcessor } from '../../src/processing/index.ts';
import { ChatClient, extractJson, LlmError } from '../../src/processing/llm/chat-client.ts';
import { LlmMemoryCategorizer } from '../../src/processing/llm/llm-memory-categorizer.ts';
import { LlmProcessor } from '../../src/processing/llm/llm-processor.ts';
import { summarizePrompt, truncateMiddle } from '../../src/processing/llm/prompts.ts';
import type { MemoryCategorizer } from '../../src/processing/memory-categorizer.ts';
import type {
  ConversationProcessor,
  DayInput,
  DaySummaryContent,
  ExtractedMemory,
  ProcessingInput,
  SummaryResult,
} from '../../src/processing/processor.ts';
import { FAKE_DAY_SUMMARY, FAKE_SUMMARY, startFakeLlm, type FakeLlm } from '../helpers/fake-llm.ts';

const API_KEY = 'sk-test-secret-4f9a2c';

/** Recognisable values, so a test can tell the fallback answered. */
const FALLBACK_SUMMARY: SummaryResult = {
  discarded: false,
  structured: {
    title: 'Offline Title',
    overview: 'offline',
    emoji: '📝',
    category: 'personal',
    actionItems: [],
    events: [],
  },
};
const FALLBACK_MEMORIES: ExtractedMemory[] = [{ content: 'Offline memory', category: 'system' }];
const FALLBACK_DAY: DaySummaryContent = {
  dayEmoji: '📝',
  headline: 'Offline day',
  overview: 'offline',
  highlights: [],
  knowledgeNuggets: [],
};

const stubFallback: ConversationProcessor = {
  kind: 'offline',
  summarize: async () => FALLBACK_SUMMARY,
  extractMemories: async () => FALLBACK_MEMORIES,
  summarizeDay: async () => FALLBACK_DAY,
};

const input = (overrides: Partial<ProcessingInput> = {}): ProcessingInput => ({
  text: 'Alice: I will send Bob the budget draft tomorrow at noon.\nBob: Great, and lunch on Friday at 12:30?',
  segments: null,
  textSource: 'audio_transcript',
  textSourceSpec: null,
  startedAt: '2024-05-01T10:00:00.000Z',
  language: 'en',
  userName: 'Alice',
  ...overrides,
});

const dayInput: DayInput = {
  date: '2024-05-01',
  conversations: [
    {
      id: 'c1',
      title: 'Budget Review',
      overview: 'Alice and Bob reviewed the budget.',
      emoji: '💰',
      category: 'finance',
      startedAt: '2024-05-01T10:00:00.000Z',
      actionItems: [{ description: 'Send the budget draft', completed: false }],
      wordCount: 120,
    },
  ],
};

interface Warning {
  obj: object;
  msg: string;
}

let fake: FakeLlm;

beforeAll(async () => {
  fake = await startFakeLlm();
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.reset();
  fake.requests.length = 0;
});

function endpoint(options: { apiKey?: string | undefined } = {}): OpenAiCompatibleEndpoint {
  return { baseUrl: fake.url, apiKey: 'apiKey' in options ? options.apiKey : API_KEY, model: 'fake-model' };
}

function setup(options: { apiKey?: string | undefined; timeoutMs?: number } = {}) {
  const warnings: Warning[] = [];
  const log = { warn: (obj: object, msg: string) => warnings.push({ obj, msg }) };
  const apiKey = 'apiKey' in options ? options.apiKey : API_KEY;
  const client = new ChatClient(endpoint({ apiKey }), { timeoutMs: options.timeoutMs ?? 5_000 });
  return { processor: new LlmProcessor(client, stubFallback, log), warnings, log, client };
}

const summaryReply = (overrides: Record<string, unknown> = {}) => ({
  discarded: false,
  title: 'Budget Draft and Lunch',
  overview: 'Alice promises Bob the budget draft; they plan lunch.',
  emoji: '💼',
  category: 'finance',
  action_items: [{ description: 'Send Bob the budget draft', due_at: '2024-05-02T12:00:00Z' }],
  events: [{ title: 'Lunch with Bob', description: 'Lunch', start: '2024-05-03T12:30:00Z', duration: 60 }],
  ...overrides,
});

describe('LlmProcessor.summarize', () => {
  it('maps a valid reply to the structured summary', async () => {
    const { processor, warnings } = setup();
    fake.respondWith(() => ({ json: summaryReply() }));
    expect(processor.kind).toBe('llm');
    await expect(processor.summarize(input())).resolves.toEqual({
      discarded: false,
      structured: {
        title: 'Budget Draft and Lunch',
        overview: 'Alice promises Bob the budget draft; they plan lunch.',
        emoji: '💼',
        category: 'finance',
        actionItems: [{ description: 'Send Bob the budget draft', dueAt: '2024-05-02T12:00:00.000Z' }],
        events: [{ title: 'Lunch with Bob', description: 'Lunch', start: '2024-05-03T12:30:00.000Z', duration: 60 }],
      },
    });
    expect(warnings).toEqual([]);
  });

  it('answers with the default fake reply when no handler is set', async () => {
    const { processor } = setup();
    const result = await processor.summarize(input());
    expect(result.structured.title).toBe(FAKE_SUMMARY.title);
    expect(fake.requests[0]?.kind).toBe('summarize');
  });

  it('parses JSON wrapped in ```json fences', async () => {
    const { processor, warnings } = setup();
    fake.respondWith(() => ({ content: '```json\n' + JSON.stringify(summaryReply()) + '\n```' }));
    expect((await processor.summarize(input())).structured.title).toBe('Budget Draft and Lunch');
    expect(warnings).toEqual([]);
  });

  it('parses one JSON object inside prose', async () => {
    const { processor, warnings } = setup();
    fake.respondWith(() => ({
      content: `Sure! Here is the summary {as requested}:\n${JSON.stringify(summaryReply())}\nAnything else?`,
    }));
    expect((await processor.summarize(input())).structured.title).toBe('Budget Draft and Lunch');
    expect(warnings).toEqual([]);
  });

  it('falls back and logs one warning on invalid JSON', async () => {
    const { processor, warnings } = setup();
    fake.respondWith(() => ({ content: 'I am not JSON at all {' }));
    await expect(processor.summarize(input())).resolves.toBe(FALLBACK_SUMMARY);
    expect(warnings).toEqual([{ obj: { err: 'invalid_json', operation: 'summarize' }, msg: expect.any(String) }]);
  });

  it('falls back on HTTP 500', async () => {
    const { processor, warnings } = setup();
    fake.respondWith(() => ({ status: 500 }));
    await expect(processor.summarize(input())).resolves.toBe(FALLBACK_SUMMARY);
    expect(warnings.map((w) => w.obj)).toEqual([{ err: 'http', status: 500, operation: 'summarize' }]);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries once without response_format when a 400 names it', async () => {
    const { processor, warnings } = setup();
    fake.respondWith((request) =>
      request.body?.response_format === undefined
        ? { json: summaryReply() }
        : { status: 400, body: { error: { message: "'response_format.type' must be 'json_schema' or 'text'" } } },
    );
    expect((await processor.summarize(input())).structured.title).toBe('Budget Draft and Lunch');
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]?.body?.response_format).toEqual({ type: 'json_object' });
    expect(fake.requests[1]?.body).not.toHaveProperty('response_format');
    expect(fake.requests[1]?.body?.temperature).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('does not retry a 400 that names no optional field', async () => {
    const { processor, warnings } = setup();
    fake.respondWith(() => ({ status: 400, body: { error: { message: 'model not loaded' } } }));
    await expect(processor.summarize(input())).resolves.toBe(FALLBACK_SUMMARY);
    expect(fake.requests).toHaveLength(1);
    expect(warnings.map((w) => w.obj)).toEqual([{ err: 'http', status: 400, operation: 'summarize' }]);
  });

  it('falls back when the endpoint does not answer within the timeout', async () => {
    const { processor, warnings } = setup({ timeoutMs: 200 });
    fake.respondWith(() => ({ hang: true }));
    await expect(processor.summarize(input())).resolves.toBe(FALLBACK_SUMMARY);
    expect(warnings.map((w) => w.obj)).toEqual([{ err: 'timeout', operation: 'summarize' }]);
  });

  it('falls back when the connection is dropped', async () => {
    const { processor, warnings } = setup();
    fake.respondWith(() => ({ destroy: true }));
    await expect(processor.summarize(input())).resolves.toBe(FALLBACK_SUMMARY);
    expect(warnings.map((w) => w.obj)).toEqual([{ err: 'network', operation: 'summarize' }]);
  });

  it('falls back when nothing listens at the endpoint', async () => {
    const closed = await startFakeLlm();
    await closed.close();
    const warnings: Warning[] = [];
    const client = new ChatClient({ baseUrl: closed.url, apiKey: API_KEY, model: 'm' }, { timeoutMs: 5_000 });
    const processor = new LlmProcessor(client, stubFallback, { warn: (obj, msg) => warnings.push({ obj, msg }) });
    await expect(processor.summarize(input())).resolves.toBe(FALLBACK_SUMMARY);
    expect(warnings.map((w) => w.obj)).toEqual([{ err: 'network', operation: 'summarize' }]);
  });

  it('falls back when the reply has no content', async () => {
    const { processor, warnings } = setup();
    fake.respondWith(() => ({ content: '   ' }));
    await expect(processor.summarize(input())).resolves.toBe(FALLBACK_SUMMARY);
    expect(warnings.map((w) => w.obj)).toEqual([{ err: 'empty', operation: 'summarize' }]);
  });

  it('files an unknown category under other', async () => {
    const { processor } = setup();
    fake.respondWith(() => ({ json: summaryReply({ category: 'Quantum Gastronomy' }) }));
    expect((await processor.summarize(input())).structured.category).toBe('other');
  });

  it('accepts a category in another case', async () => {
    const { processor } = setup();
    fake.respondWith(() => ({ json: summaryReply({ category: ' Work ' }) }));
    expect((await processor.summarize(input())).structured.category).toBe('work');
  });

  it('falls back when a kept conversation has an empty title', async () => {
    const { processor, warnings } = setup();
    fake.respondWith(() => ({ json: summaryReply({ title: '   ' }) }));
    await expect(processor.summarize(input())).resolves.toBe(FALLBACK_SUMMARY);
    expect(warnings.map((w) => w.obj)).toEqual([{ err: 'invalid_reply', operation: 'summarize' }]);
  });

  it('falls back when the reply is JSON of the wrong shape', async () => {
    const { processor, warnings } = setup();
    fake.respondWith(() => ({ json: { discarded: 'maybe', title: 42 } }));
    await expect(processor.summarize(input())).resolves.toBe(FALLBACK_SUMMARY);
    expect(warnings.map((w) => w.obj)).toEqual([{ err: 'invalid_reply', operation: 'summarize' }]);
  });

  it('returns an empty summary for a discarded conversation, even without a title', async () => {
    const { processor } = setup();
    fake.respondWith(() => ({ json: { discarded: true, title: '' } }));
    await expect(processor.summarize(input())).resolves.toEqual({
      discarded: true,
      structured: { title: '', overview: '', emoji: '🧠', category: 'other', actionItems: [], events: [] },
    });
  });

  it('repairs the details it safely can', async () => {
    const { processor } = setup();
    fake.respondWith(() => ({
      json: {
        discarded: false,
        title: '  Weekly Sync  ',
        overview: ' Notes. ',
        category: 'work',
        action_items: [
          { description: '  ', due_at: null },
          { due_at: '2024-05-02T12:00:00Z' },
          { description: 'Book the room', due_at: 'next week sometime' },
          { description: 'File the report', due_at: '2024-05-02 09:00' },
          'not an object',
        ],
        events: [
          { title: 'No time', start: '2024-05-03' },
          { title: 'Bad date', start: 'Friday at noon' },
          { title: 'Offsite', start: '2024-05-03T09:00:00+02:00', duration: 600 },
          { title: 'Standup', start: '2024-05-04T09:00:00Z' },
        ],
      },
    }));
    const { structured } = await processor.summarize(input());
    expect(structured.title).toBe('Weekly Sync');
    expect(structured.overview).toBe('Notes.');
    expect(structured.emoji).toBe('🧠');
    expect(structured.actionItems).toEqual([
      { description: 'Book the room', dueAt: null },
      { description: 'File the report', dueAt: '2024-05-02T09:00:00.000Z' },
    ]);
    expect(structured.events).toEqual([
      { title: 'Offsite', description: '', start: '2024-05-03T07:00:00.000Z', duration: 180 },
      { title: 'Standup', description: '', start: '2024-05-04T09:00:00.000Z', duration: 30 },
    ]);
  });

  it('sends the model, temperature 0, JSON mode and the API key', async () => {
    const { processor } = setup();
    await processor.summarize(input());
    const [request] = fake.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.body).toMatchObject({
      model: 'fake-model',
      temperature: 0,
      response_format: { type: 'json_object' },
    });
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.system).toContain('JSON Schema "conversation_summary"');
    expect(request?.user).toContain('I will send Bob the budget draft');
  });

  it('sends no Authorization header without an API key', async () => {
    const { processor } = setup({ apiKey: undefined });
    await processor.summarize(input());
    expect(fake.requests[0]?.headers).not.toHaveProperty('authorization');
  });

  it('never logs the API key, whatever fails', async () => {
    const { processor, warnings } = setup({ timeoutMs: 200 });
    const replies = [
      { status: 401, body: { error: { message: `Incorrect API key provided: ${API_KEY}` } } },
      { content: 'nope' },
      { destroy: true as const },
      { hang: true as const },
      { json: { title: '' } },
    ];
    for (const reply of replies) {
      fake.respondWith(() => reply);
      await processor.summarize(input());
    }
    expect(warnings).toHaveLength(replies.length);
    expect(JSON.stringify(warnings)).not.toContain(API_KEY);
    expect(JSON.stringify(warnings)).not.toContain('budget draft');
  });
});

describe('LlmProcessor.extractMemories', () => {
  it('keeps at most four memories and skips ones the user already has', async () => {
    const { processor } = setup();
    fake.respondWith(() => ({
      json: {
        memories: [
          { content: 'Lives in Lisbon.', category: 'system' },
          { content: 'Has a sister named Ana', category: 'system' },
          { content: 'has a sister named ana', category: 'system' },
          { content: '', category: 'system' },
          { content: 'Was told to sleep eight hours', category: 'interesting' },
          { content: 'Drinks oat milk', category: 'fact' },
          { content: 'Plays the cello', category: 'system' },
          { content: 'Speaks Portuguese', category: 'system' },
        ],
      },
    }));
    const memories = await processor.extractMemories(input(), { existing: ['Lives in Lisbon'] });
    expect(memories).toEqual([
      { content: 'Has a sister named Ana', category: 'system' },
      { content: 'Was told to sleep eight hours', category: 'interesting' },
      { content: 'Drinks oat milk', category: 'system' },
      { content: 'Plays the cello', category: 'system' },
    ]);
    expect(fake.requests[0]?.kind).toBe('memories');
    expect(fake.requests[0]?.user).toContain('- Lives in Lisbon');
  });

  it('accepts an empty list', async () => {
    const { processor, warnings } = setup();
    fake.respondWith(() => ({ json: { memories: [] } }));
    await expect(processor.extractMemories(input(), { existing: [] })).resolves.toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('falls back when the list is missing', async () => {
    const { processor, warnings } = setup();
    fake.respondWith(() => ({ json: { facts: ['Lives in Lisbon'] } }));
    await expect(processor.extractMemories(input(), { existing: [] })).resolves.toBe(FALLBACK_MEMORIES);
    expect(warnings.map((w) => w.obj)).toEqual([{ err: 'invalid_reply', operation: 'extract_memories' }]);
  });
});

describe('LlmProcessor.summarizeDay', () => {
  it('maps the daily summary', async () => {
    const { processor } = setup();
    await expect(processor.summarizeDay(dayInput)).resolves.toEqual({
      dayEmoji: FAKE_DAY_SUMMARY.day_emoji,
      headline: FAKE_DAY_SUMMARY.headline,
      overview: FAKE_DAY_SUMMARY.overview,
      highlights: [...FAKE_DAY_SUMMARY.highlights],
      knowledgeNuggets: [...FAKE_DAY_SUMMARY.knowledge_nuggets],
    });
    expect(fake.requests[0]?.kind).toBe('daily');
    expect(fake.requests[0]?.user).toContain('Budget Review');
  });

  it('drops blank entries and defaults a missing emoji', async () => {
    const { processor } = setup();
    fake.respondWith(() => ({
      json: { headline: ' Busy day ', overview: 'You worked.', highlights: ['One', ' ', 3], knowledge_nuggets: null },
    }));
    await expect(processor.summarizeDay(dayInput)).resolves.toEqual({
      dayEmoji: '🧠',
      headline: 'Busy day',
      overview: 'You worked.',
      highlights: ['One'],
      knowledgeNuggets: [],
    });
  });

  it('falls back without a headline', async () => {
    const { processor } = setup();
    fake.respondWith(() => ({ json: { ...FAKE_DAY_SUMMARY, headline: '' } }));
    await expect(processor.summarizeDay(dayInput)).resolves.toBe(FALLBACK_DAY);
  });
});

describe('LlmMemoryCategorizer', () => {
  const offline: MemoryCategorizer = { categorize: async () => 'system' };

  function categorizer() {
    const warnings: Warning[] = [];
    const client = new ChatClient(endpoint(), { timeoutMs: 5_000 });
    const log = { warn: (obj: object, msg: string) => warnings.push({ obj, msg }) };
    return { categorizer: new LlmMemoryCategorizer(client, offline, log), warnings };
  }

  it('uses the category the LLM picks', async () => {
    const { categorizer: subject, warnings } = categorizer();
    fake.respondWith(() => ({ json: { category: 'Interesting' } }));
    await expect(subject.categorize('Seneca said we suffer more in imagination')).resolves.toBe('interesting');
    expect(fake.requests[0]?.kind).toBe('categorize');
    expect(warnings).toEqual([]);
  });

  it('falls back on an unknown category', async () => {
    const { categorizer: subject, warnings } = categorizer();
    fake.respondWith(() => ({ json: { category: 'hobbies' } }));
    await expect(subject.categorize('Seneca said we suffer more in imagination')).resolves.toBe('system');
    expect(warnings.map((w) => w.obj)).toEqual([{ err: 'invalid_reply', operation: 'categorize_memory' }]);
  });

  it('falls back on HTTP errors', async () => {
    const { categorizer: subject } = categorizer();
    fake.respondWith(() => ({ status: 503 }));
    await expect(subject.categorize('Lives in Lisbon')).resolves.toBe('system');
  });
});

describe('createProcessor / createMemoryCategorizer', () => {
  const log = { warn: () => {} };

  it('returns the offline instances when no LLM is configured', () => {
    const offlineCategorizer: MemoryCategorizer = { categorize: async () => 'system' };
    expect(createProcessor({ llm: undefined, llmTimeoutMs: 1_000 }, log, { offline: stubFallback })).toBe(stubFallback);
    expect(createMemoryCategorizer({ llm: undefined, llmTimeoutMs: 1_000 }, log, { offline: offlineCategorizer })).toBe(
      offlineCategorizer,
    );
  });

  it('returns LLM-backed ones that reach the endpoint when one is configured', async () => {
    const processor = createProcessor({ llm: endpoint(), llmTimeoutMs: 5_000 }, log, { offline: stubFallback });
    expect(processor.kind).toBe('llm');
    expect((await processor.summarize(input())).structured.title).toBe(FAKE_SUMMARY.title);
    const categorizer = createMemoryCategorizer({ llm: endpoint(), llmTimeoutMs: 5_000 }, log, {
      offline: { categorize: async () => 'system' },
    });
    await expect(categorizer.categorize('Lives in Lisbon')).resolves.toBe('interesting');
  });
});

describe('ChatClient', () => {
  it('drops each optional field a 400 names, then succeeds', async () => {
    const client = new ChatClient(endpoint(), { timeoutMs: 5_000 });
    fake.respondWith((request) => {
      const refuse = (message: string) => ({ status: 400, body: { error: { message } } });
      if (request.body?.temperature !== undefined) return refuse('temperature: unsupported value 0');
      if (request.body?.max_tokens !== undefined) return refuse('use max_completion_tokens, not max_tokens');
      return { json: { ok: true } };
    });
    const reply = client.completeJson([{ role: 'user', content: 'hi' }], { maxTokens: 100 });
    await expect(reply).resolves.toEqual({ ok: true });
    expect(fake.requests.map((r) => Object.keys(r.body ?? {}).sort())).toEqual([
      ['max_tokens', 'messages', 'model', 'response_format', 'temperature'],
      ['max_tokens', 'messages', 'model', 'response_format'],
      ['messages', 'model', 'response_format'],
    ]);
  });

  it('throws a typed error without the key in its message', async () => {
    const client = new ChatClient(endpoint(), { timeoutMs: 5_000 });
    fake.respondWith(() => ({ status: 401, body: { error: { message: `bad key ${API_KEY}` } } }));
    const error = await client.completeJson([{ role: 'user', content: 'hi' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ reason: 'http', status: 401 });
    expect(String((error as Error).message)).not.toContain(API_KEY);
  });

  it('extracts the object from fences, prose and think blocks', () => {
    expect(extractJson('{"a":1}')).toEqual({ a: 1 });
    expect(extractJson('```\n{"a":1}\n```')).toEqual({ a: 1 });
    expect(extractJson('<think>maybe {"a":0}? no</think>\n{"a":2}')).toEqual({ a: 2 });
    expect(extractJson('Here: {"a":"}{"} done')).toEqual({ a: '}{' });
    expect(() => extractJson('[1,2]')).toThrow(LlmError);
    expect(() => extractJson('{"a":')).toThrow(LlmError);
  });
});

describe('prompts', () => {
  it('frames message text as a chat exchange', () => {
    const [system] = summarizePrompt(input({ textSource: 'message', textSourceSpec: 'slack' }));
    expect(system?.content).toContain('message exchange (slack)');
    expect(system?.content).toContain('not the messaging itself');
    const [transcriptSystem] = summarizePrompt(input());
    expect(transcriptSystem?.content).not.toContain('not the messaging itself');
  });

  it('marks the user in from-segments transcripts', () => {
    const segments = [
      { speaker: 'SPEAKER_00', isUser: true, speakerName: 'Alice', text: 'Hello', start: 0, end: 1 },
      { speaker: 'SPEAKER_01', isUser: false, speakerName: 'Speaker 1', text: 'Hi', start: 1, end: 2 },
    ];
    const [, user] = summarizePrompt(input({ segments, textSource: null }));
    expect(user?.content).toContain('Alice (the user): Hello\nSpeaker 1: Hi');
  });

  it('bounds the input, keeping its beginning and end', () => {
    const text = 'BEGIN ' + 'x'.repeat(100_000) + ' END';
    const cut = truncateMiddle(text, 24_000);
    expect(cut.length).toBeLessThanOrEqual(24_000);
    expect(cut.startsWith('BEGIN')).toBe(true);
    expect(cut.endsWith('END')).toBe(true);
    const [, user] = summarizePrompt(input({ text }), { maxInputChars: 1_000 });
    expect(user?.content.length).toBeLessThan(1_200);
  });
});

describe('startFakeLlm', () => {
  it('close() ends a request that is still hanging', async () => {
    const server = await startFakeLlm();
    let arrived!: () => void;
    const reached = new Promise<void>((resolve) => (arrived = resolve));
    server.respondWith(() => {
      arrived();
      return { hang: true };
    });
    const client = new ChatClient({ baseUrl: server.url, apiKey: undefined, model: 'm' }, { timeoutMs: 30_000 });
    const pending = client.completeJson([{ role: 'user', content: 'hi' }]).catch((e: unknown) => e);
    await reached;
    await server.close();
    await expect(pending).resolves.toMatchObject({ reason: 'network' });
  });
});
