import { describe, expect, it } from 'vitest';
import { conversationIdForSession, uuidV5 } from '../../src/lib/ids.ts';
import { CATEGORY_FOLDER, CONVERSATION_CATEGORIES } from '../../src/modules/conversations/categories.ts';
import { speakerIdFrom } from '../../src/modules/conversations/conversations.service.ts';
import { isDuplicateTask, normalizeFact } from '../../src/modules/conversations/dedupe.ts';

describe('uuidV5', () => {
  it('matches the RFC 4122 test vector', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('derives conversation ids from the account and the session id, separated by NUL', () => {
    const id = conversationIdForSession('user-1', 'session');
    expect(id).toBe(uuidV5('user-1\u0000session', 'fb2f1f36-3c84-47a4-9c62-b3f6fdb3fd13'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(conversationIdForSession('user-1s', 'ession')).not.toBe(id);
  });
});

describe('speakerIdFrom', () => {
  it.each([
    ['SPEAKER_00', 0],
    ['SPEAKER_01', 1],
    ['SPEAKER_12', 12],
    ['guest', 0],
    ['SPEAKER_999999999999999999999', 0],
  ])('%s → %i', (speaker, id) => {
    expect(speakerIdFrom(speaker)).toBe(id);
  });
});

describe('extraction dedupe', () => {
  it.each([
    ['Send Sarah the Q3 deck', 'send the Q3 deck to Sarah'],
    ['Renew the car insurance', 'renew car insurance.'],
    ['Book flights', 'Book the flights'],
  ])('treats "%s" and "%s" as one task', (a, b) => {
    expect(isDuplicateTask(a, b)).toBe(true);
  });

  it.each([
    ['Send Sarah the Q3 deck', 'Review the Q3 deck'],
    ['Call mom', 'Call the dentist'],
  ])('keeps "%s" and "%s" apart', (a, b) => {
    expect(isDuplicateTask(a, b)).toBe(false);
  });

  it('normalises facts by words, not punctuation or case', () => {
    expect(normalizeFact('Lives in Lisbon.')).toBe(normalizeFact('lives in lisbon'));
  });
});

describe('category → system folder', () => {
  it('files every CategoryEnum value into Work, Personal or Social', () => {
    for (const category of CONVERSATION_CATEGORIES) expect(['work', 'personal', 'social']).toContain(CATEGORY_FOLDER[category]);
  });
});
