import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateExtraction, keywordMatches } from '../../scripts/eval-extraction.ts';
import { isConversationCategory } from '../../src/modules/conversations/categories.ts';
import { findTemporal, resolveDueAt } from '../../src/processing/offline/dates.ts';
import { OfflineProcessor } from '../../src/processing/offline/offline-processor.ts';
import type { ProcessingInput } from '../../src/processing/processor.ts';
import { acceptableCategories, loadTranscripts, toProcessingInput, type TranscriptFixture } from '../fixtures/transcripts/index.ts';
import { dialogue, textInput } from '../helpers/processing-input.ts';

const processor = new OfflineProcessor();
const fixtures = loadTranscripts();
const fixture = (id: string): TranscriptFixture => fixtures.find((f) => f.id === id)!;
const inputOf = (id: string): ProcessingInput => toProcessingInput(fixture(id), 'Alex');
const summaryOf = async (id: string) => (await processor.summarize(inputOf(id))).structured;

describe('OfflineProcessor › fixtures', () => {
  it('has the transcript set the evaluation needs', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(14);
    expect(fixtures.filter((f) => f.expected.discarded).length).toBeGreaterThanOrEqual(3);
  });

  for (const f of fixtures) {
    it(`${f.id} › ${f.expected.discarded ? 'is discarded' : 'is kept, with a content-based title and overview'}`, async () => {
      const input = toProcessingInput(f, 'Alex');
      const { discarded, structured } = await processor.summarize(input);
      expect(discarded).toBe(f.expected.discarded);
      if (discarded) {
        expect(structured).toMatchObject({ title: '', overview: '', category: 'other', actionItems: [], events: [] });
        return;
      }
      expect(acceptableCategories(f)).toContain(structured.category);
      const { title, overview } = structured;
      expect(title.length).toBeGreaterThan(0);
      expect(title.length).toBeLessThanOrEqual(80);
      expect(title.split(/\s+/).length).toBeLessThanOrEqual(8);
      expect(input.text.toLowerCase().startsWith(title.toLowerCase())).toBe(false);
      expect(title).not.toMatch(/\b(?:to|of|the|a|an|and|with|for|in|on|at)$/i);
      expect(overview).toMatch(/[.!?]$/);
      expect(overview).not.toMatch(/\b(?:um+|uh+|erm|you know)\b/i);
      expect(overview).not.toBe(input.text.slice(0, overview.length));
      expect(structured.actionItems.length).toBeLessThanOrEqual(10);
    });
  }

  it('meets the quality floor on the whole set', async () => {
    const { overall } = await evaluateExtraction(processor, fixtures);
    expect(overall.discardAccuracy).toBe(1);
    expect(overall.categoryAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(overall.actionItems.precision).toBeGreaterThanOrEqual(0.8);
    expect(overall.actionItems.recall).toBeGreaterThanOrEqual(0.75);
    expect(overall.actionItems.dueAccuracy).toBeGreaterThanOrEqual(0.75);
    expect(overall.events.precision).toBeGreaterThanOrEqual(0.75);
    expect(overall.events.recall).toBeGreaterThanOrEqual(0.75);
    expect(overall.memories.precision).toBeGreaterThanOrEqual(0.75);
  });

  it('names the topic a person would name in the titles of almost every kept conversation', async () => {
    const kept = fixtures.filter((f) => !f.expected.discarded);
    let named = 0;
    for (const f of kept) {
      const { structured } = await processor.summarize(toProcessingInput(f, 'Alex'));
      if (f.expected.titleKeywords.some((k) => keywordMatches(structured.title, k))) named++;
    }
    // Titles are judged across the set: a held-out transcript may be titled by a neighbouring topic.
    expect(named / kept.length).toBeGreaterThanOrEqual(0.9);
  });
});

describe('OfflineProcessor › action items', () => {
  const find = (items: Array<{ description: string; dueAt: string | null }>, keyword: string) =>
    items.find((i) => keywordMatches(i.description, keyword));

  it('lists the meeting’s tasks with their owners and deadlines', async () => {
    const { actionItems } = await summaryOf('team-meeting');
    expect(find(actionItems, 'revised budget')).toEqual({
      description: expect.stringMatching(/^Follow up with Sarah on putting together a revised budget/),
      dueAt: '2025-03-14T23:59:00.000Z',
    });
    expect(find(actionItems, 'leadership review')?.dueAt).toBe('2025-03-18T23:59:00.000Z');
    expect(find(actionItems, 'escalate')?.dueAt).toBe('2025-03-12T23:59:00.000Z');
    expect(find(actionItems, 'test script')?.dueAt).toBe('2025-03-17T23:59:00.000Z');
    expect(find(actionItems, 'book a room')?.description).toBe('Book a room for the launch retro');
    // "Can you send me the test script?" and "I'll send it over Monday" are one task.
    expect(actionItems.filter((i) => keywordMatches(i.description, 'test script'))).toHaveLength(1);
    for (const item of actionItems) {
      expect(item.description).toMatch(/^[A-Z]/);
      expect(item.description).not.toMatch(/^(?:I|I'll|We|Can you|Please)\b|[.?!]$/);
    }
  });

  it('turns requests and promises in a call into the user’s to-dos', async () => {
    const { actionItems } = await summaryOf('trip-planning-call');
    expect(find(actionItems, 'book the flights')).toEqual({
      description: 'Follow up with Jo on booking the flights',
      dueAt: '2025-05-06T23:59:00.000Z',
    });
    expect(find(actionItems, 'airbnbs')?.dueAt).toBe('2025-05-07T23:59:00.000Z');
    // "I need to ask my manager for Friday afternoon off. I'll do that tomorrow." — Friday is the subject, tomorrow the deadline.
    expect(find(actionItems, 'manager')).toEqual({
      description: 'Ask my manager for Friday afternoon off',
      dueAt: '2025-05-07T23:59:00.000Z',
    });
  });

  it('reads a note to self: reminders, needs and bare imperatives', async () => {
    const { actionItems } = await summaryOf('voice-note');
    expect(actionItems.map((i) => [i.description, i.dueAt])).toEqual([
      ['Call the landlord about the leaking sink', '2025-10-31T23:59:00.000Z'],
      ['Renew my passport before the Japan trip', null],
      ['Pick up the dry cleaning', '2025-11-01T23:59:00.000Z'],
      ['Email Karen the signed contract', '2025-10-30T23:59:00.000Z'],
    ]);
  });

  it('keeps a short reminder with its time', async () => {
    const { discarded, structured } = await processor.summarize(inputOf('short-message'));
    expect(discarded).toBe(false);
    expect(structured.actionItems).toEqual([{ description: 'Call mom', dueAt: '2025-04-11T17:00:00.000Z' }]);
    expect(structured.events).toEqual([]);
  });

  it('skips hypotheticals, musings and questions that ask nothing', async () => {
    const { actionItems } = (
      await processor.summarize(
        dialogue([
          [0, 'Should we maybe move the offsite to June?'],
          [1, "I'll think about it. If we have budget we could hire a contractor."],
          [0, 'I guess we should revisit the vendor list at some point.'],
          [1, 'Maybe. I was going to call them yesterday but I forgot.'],
        ]),
      )
    ).structured;
    expect(actionItems).toEqual([]);
  });

  it('reads chat threads: @mentions, "before then" and named owners', async () => {
    expect((await summaryOf('holdout2-slack-thread')).actionItems).toEqual([
      { description: 'Review the API spec', dueAt: '2025-11-04T23:59:00.000Z' },
      { description: 'Prepare the rollback plan', dueAt: '2025-11-06T14:00:00.000Z' },
      { description: 'Follow up with Marco on running the load tests', dueAt: '2025-11-05T23:59:00.000Z' },
    ]);
    const named = await processor.summarize(
      dialogue([
        [0, 'Okay, Tom will send the signed invoice by Friday.'],
        [1, 'Great, and I will update the forecast.'],
        [2, 'Sounds good.'],
      ]),
    );
    // Speaker 1's own promise is theirs: the user neither asked for it nor took it on.
    expect(named.structured.actionItems).toEqual([{ description: 'Follow up with Tom on sending the signed invoice', dueAt: '2025-03-14T23:59:00.000Z' }]);
  });

  it('leaves out a request the other person reports done', async () => {
    const { actionItems } = await summaryOf('whatsapp-thread');
    expect(actionItems.some((i) => /table|number/i.test(i.description))).toBe(false);
    expect(find(actionItems, 'candles')?.description).toBe('Pick up the candles');
  });
});

describe('OfflineProcessor › events', () => {
  it('needs both a date and a time, and takes the stated duration', async () => {
    const event = (title: string, start: string, duration = 30) => expect.objectContaining({ title, start, duration });
    expect((await summaryOf('trip-planning-call')).events).toContainEqual(event('Coffee with Jo', '2025-05-08T08:30:00.000Z'));
    expect((await summaryOf('email-reminders')).events).toEqual([event('All-hands', '2025-04-03T16:00:00.000Z', 90)]);
    expect((await summaryOf('sales-call')).events).toEqual([event('Demo with David', '2025-02-11T14:00:00.000Z', 60)]);
    expect((await summaryOf('doctor-call')).events).toEqual([event('Appointment with Dr. Patel', '2025-09-25T10:15:00.000Z')]);
    const vague = await processor.summarize(textInput("Let's have lunch on Friday and dinner sometime next week."));
    expect(vague.structured.events).toEqual([]);
  });

  it('reads a time said as a limit as a task, not an event', async () => {
    const { events } = await summaryOf('trip-planning-call');
    expect(events.some((e) => e.start.startsWith('2025-05-11'))).toBe(false);
  });
});

describe('OfflineProcessor › memories', () => {
  it('keeps at most four facts the user states about themselves, strongest first', async () => {
    const memories = await processor.extractMemories(inputOf('friends-chat'), { existing: [] });
    expect(memories).toEqual([
      { content: 'Is allergic to peanuts', category: 'system' },
      { content: 'Lives in Alfama', category: 'system' },
      { content: 'Works as a product designer at Figment', category: 'system' },
      { content: 'Moved to Lisbon in April', category: 'system' },
    ]);
  });

  it('never takes what other speakers say about themselves', async () => {
    const memories = await processor.extractMemories(
      dialogue([
        [1, "I live in Paris and I'm allergic to shellfish."],
        [0, 'Oh nice, how long have you been there?'],
        [1, 'Five years. My sister Claire lives there too.'],
      ]),
      { existing: [] },
    );
    expect(memories).toEqual([]);
  });

  it('skips memories the user already has, or nearly has', async () => {
    const existing = ['User is allergic to peanuts.', 'Lives in Alfama, Lisbon'];
    const memories = await processor.extractMemories(inputOf('friends-chat'), { existing });
    expect(memories.map((m) => m.content)).not.toContain('Is allergic to peanuts');
    expect(memories.map((m) => m.content)).not.toContain('Lives in Alfama');
    expect(memories.length).toBe(4);
    expect(memories.map((m) => m.content)).toContain('Has a sister named Ana who is a nurse at the hospital in Porto');
  });

  it('files advice from someone else as interesting, and reads a lone voice as the user', async () => {
    const lone = dialogue([
      [1, 'My coach told me to stretch for ten minutes before every run.'],
      [1, 'I prefer running in the morning.'],
    ]);
    const memories = await processor.extractMemories(lone, { existing: [] });
    expect(memories).toEqual([
      { content: 'Was advised by their coach to stretch for ten minutes before every run', category: 'interesting' },
      { content: 'Prefers running in the morning', category: 'system' },
    ]);
  });
});

describe('OfflineProcessor › discard', () => {
  const verdict = async (text: string) => (await processor.summarize(textInput(text))).discarded;

  it('keeps short messages that say something', async () => {
    const meaningful = ['Remind me to call mom tomorrow at 5pm', 'Buy milk and eggs', "I'm allergic to peanuts", '明天下午三点和王医生开会'];
    for (const text of meaningful) {
      expect(await verdict(text), text).toBe(false);
    }
  });

  it('discards silence, fillers, sound tags, mic checks, repetition and symbols', async () => {
    const noise = ['   ', 'um uh yeah okay', '[music] [applause]', 'testing testing 1 2 3', 'no no no no no', '#$%^&* @@ !!', '♪ ♪ ♪'];
    for (const text of noise) {
      expect(await verdict(text), text).toBe(true);
    }
  });
});

describe('OfflineProcessor › determinism and robustness', () => {
  it('returns the same output for the same input', async () => {
    for (const f of fixtures) {
      const input = toProcessingInput(f, 'Alex');
      expect(await processor.summarize(input)).toEqual(await processor.summarize(structuredClone(input)));
      const memories = await processor.extractMemories(input, { existing: [] });
      expect(await processor.extractMemories(structuredClone(input), { existing: [] })).toEqual(memories);
    }
  });

  it('never throws and always returns a valid summary for arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 400 }), async (text) => {
        const { discarded, structured } = await processor.summarize(textInput(text));
        expect(typeof discarded).toBe('boolean');
        expect(isConversationCategory(structured.category)).toBe(true);
        for (const value of [structured.title, structured.overview, structured.emoji]) expect(typeof value).toBe('string');
        if (!discarded) expect(structured.title.length).toBeGreaterThan(0);
        await processor.extractMemories(textInput(text), { existing: [text] });
      }),
      { numRuns: 300 },
    );
  });

  it('discards whitespace-only input and nothing else of substance', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.constantFrom(' ', '\n', '\t', '\u00a0', '\u2003'), maxLength: 50 }), async (text) => {
        expect((await processor.summarize(textInput(text))).discarded).toBe(true);
      }),
    );
  });
});

describe('OfflineProcessor › summarizeDay', () => {
  it('builds a deterministic digest led by the dominant category', async () => {
    const conversations = [];
    for (const id of ['team-meeting', 'trip-planning-call', 'lecture']) {
      const { structured } = await processor.summarize(inputOf(id));
      const f = fixture(id);
      conversations.push({
        id,
        ...structured,
        startedAt: f.startedAt,
        wordCount: inputOf(id).text.split(/\s+/).length,
        actionItems: structured.actionItems.map((a) => ({ description: a.description, completed: false })),
      });
    }
    const day = await processor.summarizeDay({ date: '2025-03-12', conversations });
    expect(day).toEqual(await processor.summarizeDay({ date: '2025-03-12', conversations: [...conversations].reverse() }));
    expect(day.dayEmoji).toBe('💼');
    expect(day.headline).toContain('Launch Timeline');
    expect(day.highlights).toHaveLength(3);
    expect(day.overview.split(/(?<=[.!?])\s+/).length).toBeGreaterThanOrEqual(2);
    expect(day.knowledgeNuggets.length).toBeLessThanOrEqual(5);
    expect(await processor.summarizeDay({ date: '2025-03-13', conversations: [] })).toMatchObject({ highlights: [], knowledgeNuggets: [] });
  });
});

describe('dates', () => {
  const due = (text: string, ref: string) => resolveDueAt(text, ref);
  const WED = '2025-03-12T15:00:00.000Z';
  const FRI = '2025-03-14T09:00:00.000Z';

  it('resolves weekday names to the next such day after the reference', () => {
    expect(due('by Friday', WED)).toBe('2025-03-14T23:59:00.000Z');
    expect(due('by Friday', FRI)).toBe('2025-03-21T23:59:00.000Z');
    expect(due('next Friday', WED)).toBe('2025-03-21T23:59:00.000Z');
    expect(due('on Monday', '2025-03-16T10:00:00.000Z')).toBe('2025-03-17T23:59:00.000Z');
    expect(due('every Friday', WED)).toBeNull();
  });

  it('reads clock times, with am/pm inferred for bare hours', () => {
    expect(due('tomorrow at 5pm', WED)).toBe('2025-03-13T17:00:00.000Z');
    expect(due('Friday at 5:30 pm', WED)).toBe('2025-03-14T17:30:00.000Z');
    expect(due('Friday at 17:00', WED)).toBe('2025-03-14T17:00:00.000Z');
    expect(due('tomorrow at noon', WED)).toBe('2025-03-13T12:00:00.000Z');
    expect(due('Tuesday at 3', WED)).toBe('2025-03-18T15:00:00.000Z');
    expect(due('dinner Friday at 7:30', WED)).toBe('2025-03-14T19:30:00.000Z');
    expect(due('at 9am', WED)).toBe('2025-03-13T09:00:00.000Z');
    expect(due('at 6pm', WED)).toBe('2025-03-12T18:00:00.000Z');
    expect(due('in two hours', WED)).toBe('2025-03-12T17:00:00.000Z');
    expect(due('we are at 120 seats and 5 percent', WED)).toBeNull();
  });

  it('handles month boundaries and year rollover', () => {
    expect(due('tomorrow', '2025-01-31T12:00:00.000Z')).toBe('2025-02-01T23:59:00.000Z');
    expect(due('on the 30th', '2025-02-10T12:00:00.000Z')).toBe('2025-03-30T23:59:00.000Z');
    expect(due('by the 5th', '2025-03-20T12:00:00.000Z')).toBe('2025-04-05T23:59:00.000Z');
    expect(due('by end of the month', '2024-02-10T12:00:00.000Z')).toBe('2024-02-29T23:59:00.000Z');
    expect(due('in three days', '2025-12-30T12:00:00.000Z')).toBe('2026-01-02T23:59:00.000Z');
    expect(due('on March 3rd', '2025-12-30T12:00:00.000Z')).toBe('2026-03-03T23:59:00.000Z');
    expect(due('on 3 March', '2025-01-10T12:00:00.000Z')).toBe('2025-03-03T23:59:00.000Z');
    expect(due('next month', '2025-12-10T12:00:00.000Z')).toBe('2026-01-01T23:59:00.000Z');
    expect(due('by 3/14', '2025-12-10T12:00:00.000Z')).toBe('2026-03-14T23:59:00.000Z');
  });

  it('reads relative phrases', () => {
    expect(due('by end of day', WED)).toBe('2025-03-12T23:59:00.000Z');
    expect(due('by EOD', WED)).toBe('2025-03-12T23:59:00.000Z');
    expect(due('the day after tomorrow', WED)).toBe('2025-03-14T23:59:00.000Z');
    expect(due('by the end of the week', WED)).toBe('2025-03-14T23:59:00.000Z');
    expect(due('next week', WED)).toBe('2025-03-17T23:59:00.000Z');
    expect(due('this weekend', WED)).toBe('2025-03-15T23:59:00.000Z');
    expect(due('by end of day Monday', '2025-03-24T08:00:00.000Z')).toBe('2025-03-31T23:59:00.000Z');
    expect(findTemporal('Friday, March 28th', WED)?.date).toEqual({ year: 2025, month: 3, day: 28 });
  });
});

describe('OfflineProcessor › compound sentences and overviews', () => {
  const note = (text: string): ProcessingInput => ({ ...textInput(text, '2026-03-04T15:00:00.000Z'), userName: 'Admin' });
  const run = async (text: string) => (await processor.summarize(note(text))).structured;
  const item = (items: Array<{ description: string; dueAt: string | null }>, keyword: string) =>
    items.find((i) => keywordMatches(i.description, keyword));

  it('splits a compound sentence into a promise, a request to the user and an event', async () => {
    const s = await run(
      'Met with Priya about the Q3 roadmap. I will send her the revised budget by Friday, and she asked me to book the design review for Tuesday at 3pm. By the way I just moved to Berlin and I prefer morning meetings.',
    );
    expect(item(s.actionItems, 'revised budget')).toMatchObject({ description: 'Send Priya the revised budget', dueAt: '2026-03-06T23:59:00.000Z' });
    expect(item(s.actionItems, 'design review')?.description).toMatch(/^Book the design review/);
    expect(item(s.actionItems, 'design review')?.dueAt?.slice(0, 10)).toBe('2026-03-10');
    expect(s.events).toEqual([expect.objectContaining({ title: 'Design review', start: '2026-03-10T15:00:00.000Z', duration: 30 })]);
  });

  it('keeps a deadline with the clause that states it', async () => {
    const s = await run("I'll send the signed contract to the landlord tomorrow morning, and I have to renew the car insurance.");
    expect(item(s.actionItems, 'contract')?.dueAt?.slice(0, 10)).toBe('2026-03-05');
    expect(item(s.actionItems, 'car insurance')?.dueAt).toBeNull();
  });

  it('writes every first-person sentence of the overview in the third person, without filler openers', async () => {
    const s = await run('I will send Priya the revised budget by Friday. By the way I just moved to Berlin and I prefer morning meetings.');
    expect(s.overview).not.toMatch(/\b(?:I|my|me)\b|by the way/i);
    const decision = await run('We agreed to move the product launch to March. I need to update the roadmap and tell the sales team before Friday.');
    expect(decision.overview).toMatch(/agreed to move the product launch to March/);
  });

  it('gives coordinated verbs of one clause their own items and the shared deadline', async () => {
    const s = await run('We agreed to move the product launch to March. I need to update the roadmap and tell the sales team before Friday.');
    expect(item(s.actionItems, 'roadmap')).toMatchObject({ description: 'Update the roadmap', dueAt: '2026-03-06T23:59:00.000Z' });
    expect(item(s.actionItems, 'sales team')?.description).toMatch(/^Tell the sales team/);
    expect(item(s.actionItems, 'sales team')?.dueAt).toBe('2026-03-06T23:59:00.000Z');
  });

  it('reads spoken clock times', () => {
    expect(resolveDueAt('tomorrow at half past four', '2026-03-04T15:00:00Z')).toBe('2026-03-05T16:30:00.000Z');
    expect(resolveDueAt('on Friday at quarter to ten', '2026-03-04T15:00:00Z')).toBe('2026-03-06T09:45:00.000Z');
  });
});
