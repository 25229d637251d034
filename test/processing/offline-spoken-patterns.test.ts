import { describe, expect, it } from 'vitest';
import { resolveDueAt, findTemporal } from '../../src/processing/offline/dates.ts';
import { OfflineProcessor } from '../../src/processing/offline/offline-processor.ts';
import type { ProcessingInput } from '../../src/processing/processor.ts';
import { dialogue, WEDNESDAY } from '../helpers/processing-input.ts';

const processor = new OfflineProcessor();
const startedAt = WEDNESDAY;

const instant = (text: string): string | null => {
  const m = findTemporal(text, startedAt);
  return m?.date && m.time ? new Date(Date.UTC(m.date.year, m.date.month - 1, m.date.day, m.time.hour, m.time.minute)).toISOString() : null;
};

describe('spoken dates and times', () => {
  it('reads ordinal words after a weekday or a month, and clock times said without "at"', () => {
    expect(instant('Friday the twenty-first at six PM works')).toBe('2025-03-21T18:00:00.000Z');
    expect(instant('We fly out April ninth, eleven fifteen in the morning')).toBe('2025-04-09T11:15:00.000Z');
    expect(instant('Seven forty-five, March twentieth')).toBe('2025-03-20T07:45:00.000Z');
    expect(instant('Tuesday? Nine AM?')).toBe('2025-03-18T09:00:00.000Z');
  });

  it('reads a British "half five" as half past', () => {
    expect(resolveDueAt("I'll grab her around half five", startedAt)).toBe('2025-03-12T17:30:00.000Z');
  });

  it('takes the evening from a meal named nearby', () => {
    expect(findTemporal('Saturday at eight, perfect.', startedAt, 'We booked the dinner for Saturday.')?.time).toEqual({ hour: 20, minute: 0 });
    expect(findTemporal('Saturday at eight, perfect.', startedAt)?.time).toEqual({ hour: 8, minute: 0 });
  });
});

describe('events', () => {
  it('puts an evening plan in the evening and names it from the turn before', async () => {
    const { structured } = await processor.summarize(
      dialogue([
        [1, "We booked the dinner at Rosa's for Saturday."],
        [0, 'Saturday at eight, perfect.'],
      ]),
    );
    expect(structured.events).toEqual([expect.objectContaining({ title: expect.stringMatching(/dinner/i), start: '2025-03-15T20:00:00.000Z' })]);
  });

  it('joins a date and a time asked as two short questions, once agreed', async () => {
    const { structured } = await processor.summarize(
      dialogue([
        [1, 'Good lesson today, your backhand is much better.'],
        [1, 'Same time next Tuesday? Nine AM?'],
        [0, 'Nine works, see you then.'],
      ]),
    );
    expect(structured.events.map((e) => e.start)).toEqual(['2025-03-18T09:00:00.000Z']);
  });

  it('treats "before noon" as a deadline, not an appointment', async () => {
    const input: ProcessingInput = {
      text: 'Call the plumber before noon tomorrow about the boiler',
      segments: null,
      textSource: 'other_text',
      textSourceSpec: null,
      startedAt,
      language: 'en',
      userName: 'Alex',
    };
    const { structured } = await processor.summarize(input);
    expect(structured.events).toEqual([]);
    expect(structured.actionItems.map((a) => a.dueAt)).toEqual(['2025-03-13T12:00:00.000Z']);
  });
});

describe('memories from the user’s own lines and what they confirm', () => {
  it('takes diet, health, habit, origin and work-pattern statements', async () => {
    const memories = await processor.extractMemories(
      dialogue([
        [1, 'Anything you want me to avoid when I cook?'],
        [0, "I can't have dairy, and I always get carsick on twisty roads, so I'll drive. I work nights most weeks. I actually grew up about ten minutes from Leeds."],
      ]),
      { existing: [] },
    );
    expect(memories.map((m) => m.content)).toEqual(expect.arrayContaining(["Can't have dairy", 'Gets carsick', 'Works nights', 'Grew up near Leeds']));
  });

  it('keeps health advice given to the user, rewritten about them', async () => {
    const memories = await processor.extractMemories(
      dialogue([
        [1, 'Your hips are tight after all that sitting. You should stretch your hips every morning.'],
        [0, 'Okay, I can fit that in before work every morning.'],
      ]),
      { existing: [] },
    );
    expect(memories).toContainEqual({ content: 'Was advised to stretch their hips every morning', category: 'interesting' });
  });

  it('does not take advice the user turns down, or facts from questions', async () => {
    const memories = await processor.extractMemories(
      dialogue([
        [1, 'You should stretch your hips every morning.'],
        [0, 'No, that never helps me. Am I a vegetarian now?'],
      ]),
      { existing: [] },
    );
    expect(memories).toEqual([]);
  });
});

describe('background broadcasts', () => {
  it('discards a radio advert and traffic report the user only murmurs along to', async () => {
    const { discarded } = await processor.summarize(
      dialogue([
        [1, 'Coming up after the break, the biggest hits of the week.'],
        [0, 'Mm.'],
        [2, "Don't miss the Sofa Warehouse sale, this weekend only, call now on oh eight hundred!"],
        [0, 'yeah'],
        [1, 'Traffic on the bypass is slow near junction nine.'],
      ]),
    );
    expect(discarded).toBe(true);
  });
});

describe('action items in a group the user attends', () => {
  it("lists the user's own tasks and requests to the user, not the others' among themselves", async () => {
    const { structured } = await processor.summarize(
      dialogue([
        [1, "Right, let's start. Priya, can you update the changelog?"],
        [2, "Sure, I'll update the changelog tonight."],
        [1, 'Great. Alex, can you fix the login bug by Friday?'],
        [0, "Yes, I'll fix the login bug by Friday."],
        [3, "And I'll prepare the release notes."],
        [1, 'Thanks all.'],
      ]),
    );
    expect(structured.actionItems.map((a) => a.description)).toEqual([expect.stringMatching(/login bug/i)]);
  });

  it('lists what the user asks of others when running the meeting, not what others promise themselves', async () => {
    const { structured } = await processor.summarize(
      dialogue([
        [0, "Right, let's start. Priya, can you update the changelog?"],
        [2, "Sure, I'll update the changelog tonight."],
        [0, "And I'll fix the login bug by Friday."],
        [3, "I'll prepare the release notes."],
      ]),
    );
    const descriptions = structured.actionItems.map((a) => a.description);
    expect(descriptions).toHaveLength(2);
    expect(descriptions.join(' ')).toMatch(/changelog/);
    expect(descriptions.join(' ')).not.toMatch(/release notes/);
  });
});
