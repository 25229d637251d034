import { describe, expect, it } from 'vitest';
import { classifyMemory, OfflineMemoryCategorizer } from '../../src/processing/memory-categorizer.ts';

/** Facts about the user: who they are, what they do, like, own and plan. */
const SYSTEM = [
  'I live in Lisbon',
  'My name is Priya and I am 34 years old',
  'I work as a nurse at the city hospital',
  'I am allergic to peanuts',
  'My sister Ana is getting married in June',
  'I prefer tea over coffee in the morning',
  'User has a golden retriever named Max',
  'I started learning Japanese last month',
  'The user drives a blue Honda Civic',
  'My favourite band is Radiohead',
  'I run 5 km every Saturday morning',
  'I moved to Berlin in 2021 for a new job',
  // Fragments with the user as the implied subject, as extractors often write them.
  'Drinks oat milk',
  'Has two kids, Leo and Mia',
  'Prefers dark mode in every app',
  'Lives with two roommates in Brooklyn',
];

/** Advice, wisdom or notable ideas from other people. */
const INTERESTING = [
  'Steve Jobs said you should stay hungry, stay foolish',
  'According to Warren Buffett, the best investment is in yourself',
  'Naval Ravikant argues that specific knowledge cannot be taught',
  'My doctor recommends walking 10,000 steps a day',
  'The key to good sleep is a consistent wake-up time',
  'Always back up your files before a system upgrade',
  'Seneca wrote that we suffer more in imagination than in reality',
  'Most people overestimate what they can do in a year',
  'Never negotiate against yourself',
  "Paul Graham says startups should do things that don't scale",
  'Compound interest is the eighth wonder of the world, as Einstein reportedly put it',
  'My mentor told me to write down every decision and revisit it later',
  // General claims with nobody in particular as subject.
  'Reading before bed improves sleep quality',
  'Curiosity is the engine of learning',
  'Happiness is a choice',
];

const cases = [
  ...SYSTEM.map((content) => ({ content, expected: 'system' as const })),
  ...INTERESTING.map((content) => ({ content, expected: 'interesting' as const })),
];

describe('classifyMemory', () => {
  it('labels at least 90% of the examples correctly', () => {
    const wrong = cases.filter(({ content, expected }) => classifyMemory(content) !== expected);
    const accuracy = (cases.length - wrong.length) / cases.length;
    expect(accuracy, `misclassified: ${JSON.stringify(wrong)}`).toBeGreaterThanOrEqual(0.9);
  });

  it.each(['I live in Lisbon', 'My name is Priya and I am 34 years old', 'Drinks oat milk'])(
    'labels the plain personal fact "%s" as system',
    (content) => expect(classifyMemory(content)).toBe('system'),
  );

  it.each([
    'Steve Jobs said you should stay hungry, stay foolish',
    'Always back up your files before a system upgrade',
    'My mentor told me to write down every decision and revisit it later',
  ])(
    'labels the attributed or general advice "%s" as interesting',
    (content) => expect(classifyMemory(content)).toBe('interesting'),
  );

  it('ignores surrounding whitespace', () => {
    expect(classifyMemory('   I live in Lisbon  \n')).toBe('system');
  });
});

describe('OfflineMemoryCategorizer', () => {
  it('answers with the same label as classifyMemory', async () => {
    const categorizer = new OfflineMemoryCategorizer();
    for (const { content } of cases) expect(await categorizer.categorize(content)).toBe(classifyMemory(content));
  });
});
