import type { ProcessingInput, TranscriptLine } from '../../src/processing/processor.ts';

/** A Wednesday afternoon: the default start of the inputs below. */
export const WEDNESDAY = '2025-03-12T15:00:00.000Z';

/** A text-created conversation's input, as the conversations service builds it (user "Alex"). */
export function textInput(text: string, startedAt = WEDNESDAY): ProcessingInput {
  return { text, segments: null, textSource: 'other_text', textSourceSpec: null, startedAt, language: 'en', userName: 'Alex' };
}

/** A from-segments conversation's input: speaker 0 is the user (Alex), others are `Speaker N`. */
export function dialogue(lines: Array<[speaker: number, text: string]>, startedAt = WEDNESDAY): ProcessingInput {
  const segments: TranscriptLine[] = lines.map(([n, text], i) => ({
    speaker: `SPEAKER_0${n}`,
    isUser: n === 0,
    speakerName: n === 0 ? 'Alex' : `Speaker ${n}`,
    text,
    start: i * 5,
    end: i * 5 + 4,
  }));
  const text = segments.map((s) => `${s.speakerName}: ${s.text}`).join('\n');
  return { text, segments, textSource: null, textSourceSpec: null, startedAt, language: 'en', userName: 'Alex' };
}
