import type { ProcessingInput } from '../processor.ts';
import { mediaSpeakers } from './media.ts';
import { cleanSentences, normalizeText } from './text.ts';

/** One turn of the conversation as the extractors see it. */
export interface Utterance {
  /** A stable key per speaker (`SPEAKER_01`, or the label of a chat line). */
  speaker: string;
  /** A display name; `Speaker N` when the transcript does not say who spoke. */
  name: string;
  isUser: boolean;
  text: string;
  /** The text's sentences, cleaned of sound tags and disfluencies (computed once, used by every extractor). */
  sentences: string[];
}

export interface Conversation {
  utterances: Utterance[];
  /** Distinct speakers. */
  participants: number;
  /** Whether the user's own lines can be told apart from everyone else's. */
  userKnown: boolean;
  /**
   * A note, a dictation or a single-author text: bare imperatives ("Pick up the dry cleaning")
   * are the author's tasks, and first-person statements are the author's.
   */
  monologue: boolean;
  /** What a television or radio in the background said (left out of the utterances). */
  background?: string[];
}

/** "[12:05] Maria: …", "3/14/24, 10:02 - Maria: …", "Maria: …". */
const LABELLED_LINE =
  /^\s*(?:\[[^\]\n]{1,40}\]\s*)?(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4},?\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*[-–—]\s*)?([\p{L}][\p{L}\p{N} .'_-]{0,30}?)\s*:\s+(\S.*)$/iu;
/** A chat export's header line, "Maya Chen  9:12 AM", with the message on the lines below. */
const HEADER_LINE = /^([\p{Lu}][\p{L}'-]*(?:\s+[\p{Lu}][\p{L}'-]*){0,3})\s+(?:\[[^\]\n]{1,20}\]|\d{1,2}:\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?)$/u;
const NOT_A_SPEAKER = /^(?:subject|re|fwd?|to|from|cc|bcc|date|sent|note|notes|ps|p\.s|todo|agenda|summary|update|reminder|q\d|step \d+|\d.*)$/i;

/** Builds the turn list from segments, or from a text's `Name: message` lines when it has them. */
export function toConversation(input: ProcessingInput): Conversation {
  const userName = input.userName?.trim().toLowerCase() ?? null;
  if (input.segments && input.segments.length > 0) {
    const media = mediaSpeakers(input.segments);
    const utterances = input.segments.filter((s) => !media.has(s.speaker)).map((s) => ({
      speaker: s.speaker,
      name: s.speakerName,
      isUser: s.isUser,
      text: normalizeText(s.text),
      sentences: cleanSentences(s.text),
    }));
    const speakers = new Set(utterances.map((u) => u.speaker));
    const anyUser = utterances.some((u) => u.isUser);
    // A single voice with nobody marked as the wearer is the wearer dictating.
    if (!anyUser && speakers.size === 1) for (const u of utterances) u.isUser = true;
    return {
      utterances,
      participants: speakers.size,
      userKnown: anyUser || speakers.size === 1,
      monologue: speakers.size === 1 && utterances.every((u) => u.isUser),
      background: input.segments.filter((s) => media.has(s.speaker)).map((s) => s.text),
    };
  }
  const labelled = parseLabelledText(input.text, userName);
  if (labelled) return labelled;
  return {
    utterances: [
      { speaker: 'author', name: input.userName ?? 'User', isUser: true, text: normalizeText(input.text), sentences: cleanSentences(input.text) },
    ],
    participants: 1,
    userKnown: true,
    monologue: true,
  };
}

function parseLabelledText(text: string, userName: string | null): Conversation | null {
  const lines = normalizeText(text)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const utterances: Utterance[] = [];
  let labelledCount = 0;
  for (const line of lines) {
    const header = HEADER_LINE.exec(line);
    if (header && !NOT_A_SPEAKER.test(header[1]!)) {
      labelledCount += 1;
      utterances.push({ speaker: header[1]!.toLowerCase(), name: header[1]!, isUser: false, text: '', sentences: [] });
      continue;
    }
    const m = LABELLED_LINE.exec(line);
    const label = m?.[1]?.trim();
    if (m && label && !NOT_A_SPEAKER.test(label) && label.split(/\s+/).length <= 4) {
      labelledCount += 1;
      utterances.push({ speaker: label.toLowerCase(), name: label, isUser: false, text: m[2]!.trim(), sentences: [] });
    } else if (utterances.length > 0) {
      const last = utterances[utterances.length - 1]!;
      last.text = last.text === '' ? line : `${last.text}\n${line}`;
    } else {
      utterances.push({ speaker: 'unknown', name: 'Unknown', isUser: false, text: line, sentences: [] });
    }
  }
  const spoken = utterances.filter((u) => u.text !== '');
  // A "header" with nothing under it was a line of a note ("Dentist 9:30"), not a chat export.
  if (spoken.length < utterances.length) return null;
  utterances.length = 0;
  utterances.push(...spoken);
  for (const u of utterances) u.sentences = cleanSentences(u.text);
  if (labelledCount < 2 || labelledCount * 2 < lines.length) return null;
  const speakers = new Set(utterances.map((u) => u.speaker));
  const first = userName?.split(/\s+/)[0] ?? null;
  let userKnown = false;
  for (const u of utterances) {
    const key = u.speaker;
    u.isUser = key === userName || key === first || key === 'me' || key === 'you' || key === 'i';
    userKnown ||= u.isUser;
  }
  return { utterances, participants: speakers.size, userKnown, monologue: speakers.size === 1 };
}
