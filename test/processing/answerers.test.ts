import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Answer, AnswerInput, AnswerSource, QuestionAnswerer } from '../../src/processing/answerer.ts';
import { ChatClient } from '../../src/processing/llm/chat-client.ts';
import {
  ANSWER_SCHEMA_NAME,
  answerPrompt,
  LlmAnswerer,
  readAnswerReply,
} from '../../src/processing/llm/llm-answerer.ts';
import { ExtractiveAnswerer, formatSourceDate, stemWord } from '../../src/processing/offline/answer.ts';
import { startFakeLlm, type FakeLlm } from '../helpers/fake-llm.ts';

const API_KEY = 'sk-test-secret-7d1e0b';
const NOW = new Date('2020-11-26T18:00:00.000Z');

const dentist: AnswerSource = {
  id: 'conv-dentist',
  title: 'Dentist follow-up',
  overview: 'The clinic called Alex about his teeth. The cleaning is booked for Friday at 3 pm.',
  // 02:30 UTC on the 25th is still the evening of Tuesday the 24th in Los Angeles.
  startedAt: '2020-11-25T02:30:00.000Z',
  text: [
    'Receptionist: Hi Alex, this is Smile Dental calling about your appointment.',
    'Alex: Yeah.',
    'Receptionist: Please bring your insurance card to the cleaning.',
    'Alex: Okay, thanks.',
  ].join('\n'),
};

const standup: AnswerSource = {
  id: 'conv-standup',
  title: 'Team standup',
  overview: 'The team reviewed the launch plan and the Q3 budget.',
  startedAt: '2020-11-25T17:00:00.000Z',
  text: [
    'Bob: Morning everyone.',
    'Alice: The launch moved to December 3rd because QA found a blocker.',
    'Bob: The budget review is on Monday with finance.',
    'Alice: I will send the slides tonight.',
  ].join('\n'),
};

const groceries: AnswerSource = {
  id: 'conv-groceries',
  title: 'Groceries',
  overview: 'Sam and Alex planned the weekly shop.',
  startedAt: null,
  text: 'Sam: We need eggs, milk and bread.\nAlex: And coffee beans, the dark roast from the corner shop.',
};

const input = (question: string, sources: AnswerSource[], timeZone = 'America/Los_Angeles'): AnswerInput => ({
  question,
  timeZone,
  now: NOW,
  sources,
});

/** The [n] markers of an answer, in order of appearance. */
const markers = (answer: string): number[] => [...answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));

describe('ExtractiveAnswerer', () => {
  const answerer = new ExtractiveAnswerer();

  it('picks the passage that answers among distractors and cites its source', async () => {
    const result = await answerer.answer(input('When is my dentist cleaning booked?', [standup, groceries, dentist]));
    expect(result.cited).toEqual(['conv-dentist']);
    expect(result.answer).toContain('The cleaning is booked for Friday at 3 pm.');
    expect(result.answer).toMatch(/^In “Dentist follow-up” \(Tue, Nov 24\): /);
    expect(result.answer).toMatch(/\[1\]$/);
    expect(result.answer).not.toContain('launch');
    expect(result.answer).not.toContain('eggs');
  });

  it('quotes transcript lines with their speaker and matches inflected words', async () => {
    const result = await answerer.answer(input('Why did the launch move?', [groceries, standup]));
    expect(result.cited).toEqual(['conv-standup']);
    expect(result.answer).toContain('Alice said: “The launch moved to December 3rd because QA found a blocker.”');
    expect(stemWord('moved')).toBe(stemWord('move'));
    expect(stemWord('meetings')).toBe(stemWord('meeting'));
  });

  it("answers a question about a speaker from that speaker's lines", async () => {
    const result = await answerer.answer(input('What did Alice say?', [dentist, standup]));
    expect(result).toEqual({
      answer:
        'In “Team standup” (Wed, Nov 25), Alice said: “The launch moved to December 3rd because QA found a blocker.”' +
        ' and “I will send the slides tonight.” [1]',
      cited: ['conv-standup'],
    });
  });

  it('ignores short filler lines', async () => {
    const result = await answerer.answer(input('What did Alex say about the teeth cleaning?', [dentist]));
    expect(result.answer).not.toMatch(/said: “(?:Yeah|Okay)/);
  });

  it('cites sources in order of first use, numbered as in cited', async () => {
    const result = await answerer.answer(input('What about the budget and the coffee beans?', [standup, groceries]));
    expect(result.cited).toHaveLength(2);
    expect(new Set(result.cited)).toEqual(new Set(['conv-standup', 'conv-groceries']));
    expect(markers(result.answer)).toEqual([1, 2]);
    const lines = result.answer.split('\n');
    const titleOf = { 'conv-standup': 'Team standup', 'conv-groceries': 'Groceries' } as Record<string, string>;
    result.cited.forEach((id, i) => {
      expect(lines[i]).toContain(`“${titleOf[id]}”`);
      expect(lines[i]).toMatch(new RegExp(`\\[${i + 1}\\]$`));
    });
  });

  it('quotes at most three passages and at most two from one source', async () => {
    const chatty: AnswerSource = {
      id: 'conv-garden',
      title: 'Garden plans',
      overview: 'Tomatoes need staking. The tomatoes go in the raised bed. Tomato seedlings arrive in May.',
      startedAt: '2020-11-20T10:00:00.000Z',
      text: 'Alex: The tomatoes want full sun.\nSam: Water the tomatoes every morning.',
    };
    const other: AnswerSource = {
      id: 'conv-market',
      title: 'Market',
      overview: 'The market sells heirloom tomatoes on Saturdays.',
      startedAt: '2020-11-21T10:00:00.000Z',
      text: 'Vendor: These tomatoes are grown locally.',
    };
    const result = await answerer.answer(input('What about the tomatoes?', [chatty, other]));
    expect(result.cited).toEqual(['conv-garden', 'conv-market']);
    const garden = result.answer.split('\n')[0]!;
    expect(garden.match(/[Tt]omato/g)).toHaveLength(2);
    expect(result.answer.match(/[Tt]omato/g)!.length).toBeLessThanOrEqual(3);
  });

  it('formats dates in the given time zone', async () => {
    const question = 'When is the cleaning?';
    const losAngeles = await answerer.answer(input(question, [dentist], 'America/Los_Angeles'));
    const tokyo = await answerer.answer(input(question, [dentist], 'Asia/Tokyo'));
    expect(losAngeles.answer).toContain('(Tue, Nov 24)');
    expect(tokyo.answer).toContain('(Wed, Nov 25)');
    expect(formatSourceDate('2019-06-01T12:00:00Z', 'Europe/Berlin', NOW)).toBe('Sat, Jun 1, 2019');
    expect(formatSourceDate(null, 'Europe/Berlin', NOW)).toBeUndefined();
    // An unknown zone falls back to UTC rather than failing the answer.
    expect(formatSourceDate('2020-11-25T02:30:00Z', 'Not/AZone', NOW)).toBe('Wed, Nov 25');
  });

  it('leaves the date out for a conversation without one', async () => {
    const result = await answerer.answer(input('Which coffee beans?', [groceries]));
    expect(result.answer).toMatch(/^In “Groceries”, Alex said: “Coffee beans, the dark roast/);
  });

  it('summarises each source by its overview when the question names only a date', async () => {
    const sources = [standup, dentist, groceries, { ...dentist, id: 'conv-fourth', title: 'Fourth' }];
    const result = await answerer.answer(input('What did I do yesterday?', sources));
    expect(result.cited).toEqual(['conv-standup', 'conv-dentist', 'conv-groceries']);
    const lines = result.answer.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('In “Team standup” (Wed, Nov 25): The team reviewed the launch plan and the Q3 budget. [1]');
    expect(lines[1]).toContain('The cleaning is booked for Friday at 3 pm. [2]');
    expect(lines[2]).toBe('In “Groceries”: Sam and Alex planned the weekly shop. [3]');
  });

  it('says so, then summarises, when the question names something no conversation mentions', async () => {
    const result = await answerer.answer(input('What did we decide about the zebra?', [standup, dentist]));
    expect(result.cited).toEqual(['conv-standup', 'conv-dentist']);
    expect(result.answer.split('\n')[0]).toMatch(/don't mention that/);
  });

  it('is deterministic', async () => {
    const sources = [standup, dentist, groceries];
    for (const question of ['When is the cleaning?', 'What did I do yesterday?', 'budget launch coffee']) {
      const first = await answerer.answer(input(question, sources));
      const second = await answerer.answer(input(question, sources.map((s) => ({ ...s }))));
      expect(second).toEqual(first);
    }
  });
});

interface Warning {
  obj: object;
  msg: string;
}

const FALLBACK: Answer = { answer: 'offline answer', cited: ['offline'] };
const stubFallback: QuestionAnswerer = { answer: async () => FALLBACK };

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

function setup() {
  const warnings: Warning[] = [];
  const log = { warn: (obj: object, msg: string) => warnings.push({ obj, msg }) };
  const client = new ChatClient({ baseUrl: fake.url, apiKey: API_KEY, model: 'fake-model' }, { timeoutMs: 5_000 });
  return { answerer: new LlmAnswerer(client, stubFallback, log), warnings };
}

const sources = [standup, dentist, groceries];
const QUESTION = 'When is my dentist cleaning?';

describe('LlmAnswerer', () => {
  it('maps the cited numbers to ids and renumbers the markers in order of first use', async () => {
    const { answerer, warnings } = setup();
    fake.respondWith(() => ({
      json: { answer: 'Your cleaning is on Friday at 3 pm [2]; Alice moves the launch [1]. Bring your card [2].', sources: [2, 1] },
    }));
    await expect(answerer.answer(input(QUESTION, sources))).resolves.toEqual({
      answer: 'Your cleaning is on Friday at 3 pm [1]; Alice moves the launch [2]. Bring your card [1].',
      cited: ['conv-dentist', 'conv-standup'],
    });
    expect(warnings).toEqual([]);
    expect(fake.requests[0]?.system).toContain(`JSON Schema "${ANSWER_SCHEMA_NAME}"`);
  });

  it('takes the markers when the sources list is missing, and drops markers out of range', async () => {
    const { answerer } = setup();
    fake.respondWith(() => ({ json: { answer: 'You buy coffee beans [3, 9] and bread [7].' } }));
    await expect(answerer.answer(input(QUESTION, sources))).resolves.toEqual({
      answer: 'You buy coffee beans [1] and bread.',
      cited: ['conv-groceries'],
    });
  });

  it('accepts an answer that cites nothing', async () => {
    const { answerer, warnings } = setup();
    fake.respondWith(() => ({ json: { answer: "Your conversations don't mention a dentist.", sources: [] } }));
    await expect(answerer.answer(input(QUESTION, sources))).resolves.toEqual({
      answer: "Your conversations don't mention a dentist.",
      cited: [],
    });
    expect(warnings).toEqual([]);
  });

  const failures: [string, () => object][] = [
    ['invalid JSON', () => ({ content: 'The cleaning is on Friday [2].' })],
    ['HTTP 500', () => ({ status: 500 })],
    ['out-of-range numbers only', () => ({ json: { answer: 'It is on Friday [5].', sources: [5, 0] } })],
    ['an empty answer', () => ({ json: { answer: '   ', sources: [1] } })],
    ['a reply without an answer', () => ({ json: { sources: [1] } })],
  ];
  for (const [name, reply] of failures) {
    it(`falls back on ${name}`, async () => {
      const { answerer, warnings } = setup();
      fake.respondWith(reply as never);
      await expect(answerer.answer(input(QUESTION, sources))).resolves.toEqual(FALLBACK);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.obj).toMatchObject({ operation: 'answer_question' });
    });
  }

  it('sends the question, the time zone and the titles, and logs neither them nor the API key', async () => {
    const { answerer, warnings } = setup();
    fake.respondWith(() => ({ status: 401, body: { error: { message: `Incorrect API key provided: ${API_KEY}` } } }));
    await expect(answerer.answer(input(QUESTION, sources, 'Europe/Berlin'))).resolves.toEqual(FALLBACK);
    const request = fake.requests[0]!;
    expect(request.user).toContain(QUESTION);
    expect(request.user).toContain('Europe/Berlin');
    expect(request.user).toContain('Thursday, November 26, 2020 at 7:00 PM');
    for (const source of sources) expect(request.user).toContain(`“${source.title}”`);
    expect(request.user).toContain('[2] “Dentist follow-up”, started Wed, Nov 25, 2020, 3:30 AM');
    expect(request.system).toMatch(/second person/);
    expect(warnings.map((w) => w.obj)).toEqual([{ err: 'http', status: 401, operation: 'answer_question' }]);
    const logged = JSON.stringify(warnings);
    expect(logged).not.toContain(API_KEY);
    expect(logged).not.toContain(QUESTION);
    expect(logged).not.toContain('Receptionist');
  });
});

describe('answerPrompt', () => {
  it('keeps the whole prompt under the budget, truncating transcripts in the middle', () => {
    const long = (id: string, word: string): AnswerSource => ({
      id,
      title: `Long ${word}`,
      overview: `A long talk about ${word}.`,
      startedAt: '2020-11-20T10:00:00.000Z',
      text: Array.from({ length: 3_000 }, (_, i) => `Speaker ${i % 2}: ${word} line ${i}.`).join('\n'),
    });
    const many = [long('a', 'alpha'), long('b', 'beta'), groceries];
    const messages = answerPrompt(input('What about alpha?', many));
    const total = messages.reduce((sum, m) => sum + m.content.length, 0);
    expect(total).toBeLessThan(24_000);
    const user = messages[1]!.content;
    expect(user).toContain('alpha line 0.');
    expect(user).toContain('alpha line 2999.');
    expect(user).toContain('characters omitted');
    // The short transcript is kept whole.
    expect(user).toContain(groceries.text);
  });
});

describe('readAnswerReply', () => {
  it('rejects non-objects and reads "[1-2]" ranges', () => {
    expect(readAnswerReply('text', sources)).toBeUndefined();
    expect(readAnswerReply({ answer: 'Both [2-3].', sources: ['2'] }, sources)).toEqual({
      answer: 'Both [1][2].',
      cited: ['conv-dentist', 'conv-groceries'],
    });
  });
});
