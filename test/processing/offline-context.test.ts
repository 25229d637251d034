import { describe, expect, it } from 'vitest';
import { OfflineProcessor } from '../../src/processing/offline/offline-processor.ts';
import { toThirdPerson } from '../../src/processing/offline/third-person.ts';
import type { ProcessingInput } from '../../src/processing/processor.ts';
import { dialogue, textInput } from '../helpers/processing-input.ts';

const processor = new OfflineProcessor();
const noContext = { existing: [] };

const memoriesOf = async (input: ProcessingInput): Promise<string[]> => (await processor.extractMemories(input, noContext)).map((m) => m.content);

describe('memories read from the conversation around a sentence', () => {
  it('takes implicit first-person statements', async () => {
    const memories = await memoriesOf(
      dialogue([
        [1, 'So what are you doing this summer?'],
        [0, "Honestly, I'm a mountain person. I do hate crowded places. I work remotely on Mondays, so I can travel."],
      ]),
    );
    expect(memories).toEqual(expect.arrayContaining(['Is a mountain person', 'Hates crowded places', 'Works remotely on Mondays']));
  });

  it('names the place in the answer to a where-do-you-live question, and the allergen said a sentence before', async () => {
    const memories = await memoriesOf(
      dialogue([
        [1, 'Are you guys still living in that house in Leeds?'],
        [0, 'Yep, still in Leeds, same street.'],
        [1, 'Want some of this satay?'],
        [0, 'Oh, no peanuts for me. I am severely allergic.'],
      ]),
    );
    expect(memories).toEqual(expect.arrayContaining(['Lives in Leeds', 'Is allergic to peanuts']));
  });

  it('learns a partner from a "you two" question about someone the user spoke of', async () => {
    const memories = await memoriesOf(
      dialogue([
        [0, 'Priya planned the whole trip, she loves that stuff.'],
        [1, 'How long have you two been together?'],
        [0, 'Three years in June.'],
      ]),
    );
    expect(memories).toContain('Has a partner named Priya');
  });

  it('never takes another speaker\'s statements or a question as the user\'s', async () => {
    const memories = await memoriesOf(
      dialogue([
        [1, "I'm a beach person, and I live in Lisbon."],
        [0, 'Nice. Are you allergic to anything?'],
      ]),
    );
    expect(memories).toEqual([]);
  });

  it('reads a career goal as what the user wants to become', async () => {
    const memories = await memoriesOf(dialogue([[1, 'Anything else?'], [0, "I'd really like to move into an engineering manager role next year."]]));
    expect(memories.some((m) => /^Wants to become an engineering manager$/.test(m))).toBe(true);
  });
});

describe('background captures', () => {
  it('discards advert fragments and backchannels even when an advert names a day and time', async () => {
    const input = dialogue([
      [1, 'and that is why millions trust Sparkle detergent. Order today'],
      [0, 'mm.'],
      [1, 'join us Friday at nine for the big finale of'],
      [2, 'uh huh'],
      [0, 'yeah.'],
      [1, 'low rates for qualified homeowners'],
      [0, 'Mm-hm.'],
    ]);
    expect((await processor.summarize(input)).discarded).toBe(true);
  });

  it('keeps a conversation in which the user only listens to someone telling a story', async () => {
    const input = dialogue([
      [1, 'So we drove up to the cabin on Saturday and the road was completely flooded.'],
      [0, 'No way.'],
      [1, 'We had to leave the car and walk the last two miles in the rain.'],
      [0, 'uh huh'],
      [1, 'Then the key did not fit the lock, so we slept in the boathouse.'],
    ]);
    expect((await processor.summarize(input)).discarded).toBe(false);
  });
});

describe('tasks asked of the user', () => {
  it('turns "don\'t forget the dentist" into an appointment to attend', async () => {
    const { structured } = await processor.summarize(textInput("Don't forget the dentist on Friday at 11:15"));
    expect(structured.actionItems).toEqual([{ description: 'Attend the dentist appointment', dueAt: '2025-03-14T11:15:00.000Z' }]);
  });

  it('reads "if you can …, that\'d be great" as a request and an "I\'ll do it" reply as accepting it', async () => {
    const { structured } = await processor.summarize(
      dialogue([
        [1, 'If you can fill in the consent form and return it by Monday, that would be great.'],
        [0, "Sure, I'll print it tonight."],
      ]),
    );
    expect(structured.actionItems).toHaveLength(1);
    expect(structured.actionItems[0]!.description).toMatch(/^Fill in the consent form/);
    expect(structured.actionItems[0]!.dueAt?.slice(0, 10)).toBe('2025-03-17');
  });

  it('does not make a task of a reassurance ("it doesn\'t have to be polished")', async () => {
    const { structured } = await processor.summarize(dialogue([[1, "Send me the outline by Friday. It doesn't have to be finished."], [0, 'Will do.']]));
    expect(structured.actionItems.map((a) => a.description).join(' ')).not.toMatch(/finished/);
  });

  it('dates a task with a deadline stated on its own just before it', async () => {
    const { structured } = await processor.summarize(
      textInput('The deadline is Thursday the 20th. Could you make sure the venue confirms the booking?'),
    );
    expect(structured.actionItems[0]?.dueAt?.slice(0, 10)).toBe('2025-03-20');
  });
});

describe('chat exports and overviews', () => {
  it('reads "Name  9:12 AM" header lines as speakers', async () => {
    const text = 'Maya Chen  9:12 AM\nthe build is broken again\nJordan  9:14 AM\nI will fix the build this morning\n';
    const { structured } = await processor.summarize(textInput(text));
    expect(structured.title).not.toMatch(/Maya|Chen|AM/);
    expect(structured.actionItems[0]?.description).toMatch(/fix(?:ing)? the build/i);
  });

  it('keeps hedges as hedges and skips sentences said to the listener', () => {
    expect(toThirdPerson('Sam found it, but I kind of took it over.', 'Alex')).toBe('Sam found it, but Alex kind of took it over.');
    expect(toThirdPerson("I'll text it to you tomorrow, remind me if I forget.", 'Alex')).toBeNull();
  });

  it('files a dinner among friends under social, not health, for all its allergy talk', async () => {
    const { structured } = await processor.summarize(
      dialogue([
        [1, 'More wine, anyone? This pasta is amazing.'],
        [0, "Thanks! No nuts in it, I'm allergic, EpiPen allergic."],
        [2, 'Congrats on the new flat, by the way!'],
        [0, 'Cheers, we love it.'],
      ]),
    );
    expect(structured.category).toBe('social');
  });
});
