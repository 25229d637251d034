import { describe, expect, it } from 'vitest';
import { baselineExtractor, dice, matchItems, normalise, processorExtractor, scoreSet, summarise } from '../../scripts/extraction-scoring.ts';
import { OfflineProcessor } from '../../src/processing/offline/offline-processor.ts';
import { toSecondPerson } from '../../src/processing/offline/third-person.ts';
import { loadLabelled, splitOf } from '../fixtures/extraction/index.ts';
import { dialogue, textInput } from '../helpers/processing-input.ts';

const processor = new OfflineProcessor();

describe('the labelled extraction set', () => {
  it('holds at least 80 conversations, split by id alone into a tuning and a larger test split', () => {
    const all = loadLabelled();
    expect(all.length).toBeGreaterThanOrEqual(80);
    const test = loadLabelled('test');
    const tuning = loadLabelled('tuning');
    expect(test.length + tuning.length).toBe(all.length);
    expect(test.length).toBeGreaterThan(tuning.length);
    expect(test.every((c) => splitOf(c.id) === 'test')).toBe(true);
    for (const kind of ['meeting', 'call', 'memo', 'text'] as const) expect(test.some((c) => c.kind === kind)).toBe(true);
    expect(all.filter((c) => c.discarded).length).toBeGreaterThanOrEqual(3);
    expect(all.reduce((n, c) => n + c.traps.length, 0)).toBeGreaterThanOrEqual(30);
  });
});

describe('fair matching', () => {
  it('compares content words, not stop words, time words or endings', () => {
    expect([...normalise('Send Priya the revised budget by Friday')].sort()).toEqual(['budget', 'priya', 'revis', 'send']);
    expect(dice(normalise('Has a dog named Biscuit'), normalise('Has a dog called Biscuit'))).toBe(1);
  });

  it('pairs one-to-one: one long prediction cannot account for two labels', () => {
    const labels = ['Buy oat milk', 'Pick up the prescription'];
    expect(matchItems(labels, ['Buy oat milk and pick up the prescription'])).toHaveLength(1);
    expect(matchItems(labels, ['Buy oat milk', 'Pick up the prescription'])).toHaveLength(2);
    expect(matchItems(labels, ['Review the My Blocker Is I Still'])).toHaveLength(0);
  });

  it('scores the naive baseline by the same rules, and the processor above it on the test split', async () => {
    const test = loadLabelled('test');
    const offline = summarise(await scoreSet(processorExtractor(processor), test));
    const naive = summarise(await scoreSet(baselineExtractor('personal'), test));
    expect(offline.tasks.f1).toBeGreaterThan(naive.tasks.f1);
    expect(offline.memories.f1).toBeGreaterThan(naive.memories.f1);
    expect(offline.overviewsNamingAccount).toBe(0);
  });
});

describe('overviews told to the user', () => {
  it('uses the second person and names the person a pronoun points to', async () => {
    const input = { ...textInput("Talked to Priya about the launch. I'll send her the revised budget by Friday. The design review is on Tuesday at 3pm."), userName: 'Admin' };
    const { structured } = await processor.summarize(input);
    expect(structured.overview).toMatch(/\bYou'll send Priya the revised budget by Friday\./);
    expect(structured.overview).not.toMatch(/\bAdmin\b|\bher\b/);
  });

  it('rewrites only what the user says of themselves', () => {
    expect(toSecondPerson("I'm on call and my laptop is broken, so I'll work from home.")).toBe("You're on call and your laptop is broken, so you'll work from home.");
    expect(toSecondPerson("I'll text it to you tomorrow.")).toBeNull();
  });
});

describe('background media and noisy speech', () => {
  it('leaves a television out: its lines are neither tasks nor the overview', async () => {
    const { discarded, structured } = await processor.summarize(
      dialogue([
        [9, 'Breaking news, the storm is expected to hit the coast tonight. Residents should stock up on water.'],
        [1, 'Did you book the flights for Easter?'],
        [0, "Not yet, I'll book them tomorrow."],
        [9, 'Authorities urge everyone to stay indoors.'],
      ]),
    );
    expect(discarded).toBe(false);
    expect(structured.actionItems.map((a) => a.description)).toEqual([expect.stringMatching(/^Book the flights/)]);
    expect(structured.overview).not.toMatch(/storm|indoors/);
  });

  it('drops a restarted phrase and reads "the one thing I still have to do is…" as a task', async () => {
    const { structured } = await processor.summarize(
      textInput('Okay note to self. I need to I need to order more printer ink. Oh and the one thing I still have to do is submit the expense report, that is due Friday.'),
    );
    const items = structured.actionItems.map((a) => [a.description, a.dueAt?.slice(0, 10) ?? null]);
    expect(items).toEqual([
      ['Order more printer ink', null],
      ['Submit the expense report', '2025-03-14'],
    ]);
  });
});

describe('memories about the people in the user life', () => {
  it('notes pets, family and colleagues by name, and children by number', async () => {
    const input = dialogue([
      [1, 'How is everyone?'],
      [0, 'Good. My dog Biscuit had surgery, and my manager Dana gave me the week off. We have two young kids, so it was needed.'],
      [1, 'And your brother?'],
      [0, 'My younger brother Kenji is a chef in Osaka now.'],
    ]);
    const memories = (await processor.extractMemories(input, { existing: [] })).map((m) => m.content);
    expect(memories).toEqual(
      expect.arrayContaining(['Has a dog named Biscuit', 'Manager is named Dana', 'Has two young kids', 'Younger brother Kenji is a chef in Osaka']),
    );
  });

  it('notes habits, health and family news in everyday wording', async () => {
    const text = "Note for the new coach. I go climbing twice a week and we're expecting a baby girl in June. I have asthma. Our daughter Lily is five.";
    const memories = (await processor.extractMemories(textInput(text), { existing: [] })).map((m) => m.content);
    expect(memories).toEqual(expect.arrayContaining(['Goes climbing twice a week', 'Is expecting a baby girl in June', 'Has asthma', 'Daughter Lily is five']));
  });

  it('keeps a fact stated before a tag question, and nothing another speaker says of themselves', async () => {
    const input = dialogue([
      [1, "I'm allergic to cats, and my dog Rex is old."],
      [0, "I'm on lisinopril for blood pressure, is that okay?"],
    ]);
    const memories = (await processor.extractMemories(input, { existing: [] })).map((m) => m.content);
    expect(memories).toEqual(['Takes lisinopril']);
  });
});

describe('referents and context', () => {
  it('names what "both" points to, and drops the task when nothing is there to name', async () => {
    const named = await processor.summarize(textInput('Mia loves pottery, so maybe a class voucher. Dad wants that biography of Churchill. I have to order both by Friday.'));
    expect(named.structured.actionItems.map((a) => a.description)).toEqual(['Order the class voucher and the biography']);
    const lost = await processor.summarize(textInput('Long day. I have to draft both by Friday.'));
    expect(lost.structured.actionItems.some((a) => /\bboth\b/i.test(a.description))).toBe(false);
  });

  it('dates a note by its heading, and lists another person’s promise only when the user asks for it', async () => {
    const note = await processor.summarize(textInput('Priorities for today. First, finish the quarterly report. Second, reply to the legal team.'));
    expect(note.structured.actionItems.map((a) => [a.description, a.dueAt?.slice(0, 10)])).toEqual([
      ['Finish the quarterly report', '2025-03-12'],
      ['Reply to the legal team', '2025-03-12'],
    ]);
    const meeting = (last: string) =>
      processor.summarize(dialogue([[0, "Okay, let's start."], [1, "I'll escalate the vendor ticket today."], [0, last], [2, 'Sounds good.']]));
    expect((await meeting('Please do.')).structured.actionItems).toHaveLength(1);
    expect((await meeting('Okay, next item.')).structured.actionItems).toHaveLength(0);
  });

  it('remembers short answers to questions about the user', async () => {
    const input = dialogue([
      [1, 'Welcome to the street! Where did you move from?'],
      [0, 'Manchester. We love the new house already, the garden is huge.'],
      [1, 'Are you still doing climbing?'],
      [0, 'Yeah, twice a week.'],
    ]);
    const memories = (await processor.extractMemories(input, { existing: [] })).map((m) => m.content);
    expect(memories).toEqual(expect.arrayContaining(['Moved from Manchester', 'Still does climbing twice a week']));
  });
});
