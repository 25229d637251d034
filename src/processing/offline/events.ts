/**
 * Calendar events: a sentence that states both a date and a time ("let's meet Tuesday at 3pm",
 * "the dentist appointment is tomorrow at 10am") and names something that happens then (a
 * meeting, a meal, an appointment, a flight…), in the sentence or in the turn just before it
 * ("Which flight?" — "There's one Friday at 6:40"). A proposal phrased as a question counts only
 * when the next speaker agrees. Deadlines ("due Friday at midnight") and reminders are tasks, not
 * events. Times are UTC; the duration is the one stated ("for an hour") or 30 minutes.
 */
import type { ExtractedEvent } from '../processor.ts';
import { splitClauses } from './clauses.ts';
import { SPOKEN_CLOCK } from './date-patterns.ts';
import { eventStartFrom, findTemporal } from './dates.ts';
import type { Cast } from './names.ts';
import { resolvePronoun } from './reference.ts';
import { capitalize, ensurePeriod, STOPWORDS, stripOpeners } from './text.ts';
import type { Conversation } from './utterances.ts';

export const DEFAULT_EVENT_MINUTES = 30;
const MAX_EVENTS = 5;

/** Tasks and deadlines, including a time that is a limit ("be at the airport by five"). */
const NOT_AN_EVENT =
  /\b(?:remind me|forget to|is due|are due|due (?:on|by|at)|deadline)\b|\b(?:by|before) (?:about |around |like )?(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|midnight)\b/i;
const CALLED_OFF = /\b(?:doesn't work|does not work|can't make|cannot make|won't work|cancel(?:l?ed)?|not available|no longer|postponed indefinitely)\b/i;
/** Something that can be a clock time; sentences without one cannot hold an event. */
const TIME_CUE = new RegExp(
  String.raw`\d|\b(?:noon|midday|midnight|(?:half|quarter) (?:past|to)|half (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve))\b|\b(?:at|around|by) (?:about |like )?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b|\b${SPOKEN_CLOCK}`,
  'i',
);
const AGREEMENT =
  /^(?:yes|yeah|yep|sure|ok|okay|perfect|great|sounds good|that works|works|deal|absolutely|of course|definitely)\b|\bworks\b|\b(?:is|'s) (?:fine|good|perfect)\b|\bsee you then\b/i;
const NOUNS =
  'book club|climbing|bouldering|yoga|pilates|tennis|squash|badminton|padel|swim|field trip|science fair|book fair|fair|gym session|workout|training session|haircut|vet appointment|consultation|surgery|parent-teacher conference|conference|open house|service|mot|' +
  'deploy|deployment|go-live|cutover|technician|plumber|electrician|repair|delivery|inspection|viewing|installation|long run|group run|hike|practice|all-hands|town hall|offsite|standup|stand-up|retro|kickoff|workshop|webinar|interview|demo|presentation|review|recital|concert|party|wedding|game|match|class|lesson|session|appointment|reservation|flight|train|dinner|lunch|breakfast|brunch|coffee|drinks|call|meeting|sync|catch-up|check-up|checkup|dentist|conversation';
// A plural that names the same thing ("I booked the flights"); most others read as verbs ("she calls").
const PLURALS = 'flights|appointments|reservations|lessons|interviews|sessions';
const NOUNS_ALL = new RegExp(`\\b(${PLURALS}|${NOUNS})\\b`, 'gi');
const SOCIAL_NOUNS = new Set(['coffee', 'lunch', 'dinner', 'breakfast', 'brunch', 'drinks', 'call', 'meeting', 'sync', 'catch-up']);
const DOCTOR = /\b(?:[Dd]r\.?|[Dd]octor)\s+([A-Z][a-z]+)/;
const PICK_UP = /\bpick\s+(her|him|[A-Z][a-z]+)\s+up\b|\bpick up\s+([A-Z][a-z]+|your \w+|my \w+|the \w+)/;
const FLIGHT_VERB = /\b(?:lands?|landing|takes off|departs?|boarding)\b/i;
const MEET_VERB = /\b(?:meet|meet up|catch up|get together)\b/i;
const VISIT_VERB = /\b(?:pop|come|swing|stop|drop) (?:round|over|by)\b/i;
const NOT_MODIFIERS = /^(?:for|meet|have|grab|book|booked|about)$/i;
const DURATION =
  /\bfor\s+(?:about\s+|around\s+|roughly\s+)?(an?|one|two|three|four|half an|\d+(?:\.\d+)?)\s*(hours?|hrs?|minutes?|mins?)\b(\s+and\s+a\s+half)?/i;
const DURATION_CONTEXT = /\b(?:run|runs|last|lasts|take|takes|block|invite|book|schedule|meeting|call|session)\b/i;
const AMOUNTS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, 'half an': 0.5 };

export function extractEvents(conversation: Conversation, cast: Cast, startedAt: string): ExtractedEvent[] {
  const { utterances } = conversation;
  const events: ExtractedEvent[] = [];
  const history: string[] = [];
  const turns = utterances.map((u) => u.sentences.map(stripOpeners));
  turns.forEach((sentences, i) => {
    sentences.forEach((sentence, k) => {
      const before = [...turns.slice(Math.max(0, i - 2), i).flat(), ...sentences.slice(Math.max(0, k - 2), k)].reverse();
      const following = [...sentences.slice(k + 1), ...(turns[i + 1] ?? []), ...(turns[i + 2] ?? [])];
      const near = [...before.slice(0, 2), ...following].join(' ');
      // A date and its time may come as two short sentences: "Same time next Saturday? Eight AM?"
      const next = sentences[k + 1];
      const half = halfStated(sentence, startedAt);
      const piece = next !== undefined && half !== null && halfStated(next, startedAt) === (half === 'date' ? 'time' : 'date') ? `${sentence} ${next}` : sentence;
      const proposal = /\?\s*$/.test(piece);
      const context: TitleContext = { before, history, cast, conversation, existing: events, proposal };
      const { start, title } = eventIn(piece, startedAt, context, near);
      const agreed = !proposal || agreedNext(conversation, turns, i);
      if (start && title && agreed && !events.some((e) => e.start === start)) {
        events.push({ title, description: ensurePeriod(capitalize(piece)), start, duration: durationOf(piece, following) });
      }
      history.push(sentence);
    });
  });
  return events.slice(0, MAX_EVENTS);
}

/**
 * The event a sentence states, read from the whole sentence or else from one of its clauses, so a
 * date in one clause does not hide the date and time of another ("…by Friday, and she asked me to
 * book the review for Tuesday at 3pm").
 */
function eventIn(sentence: string, startedAt: string, context: TitleContext, near: string): { start: string | null; title: string | null } {
  const clauses = splitClauses(sentence);
  for (const piece of clauses.length > 1 ? [sentence, ...clauses] : [sentence]) {
    const candidate = TIME_CUE.test(piece) && !NOT_AN_EVENT.test(piece) && !CALLED_OFF.test(piece);
    const start = candidate ? eventStartFrom(findTemporal(piece, startedAt, near)) : null;
    if (start) return { start, title: titleFor(piece, context) };
  }
  return { start: null, title: null };
}

/** Whether a sentence states a date without a time, or a time without a date. */
function halfStated(sentence: string, startedAt: string): 'date' | 'time' | null {
  const found = findTemporal(sentence, startedAt);
  if (found === null || found.instant !== null || (found.date === null) === (found.time === null)) return null;
  return found.date ? 'date' : 'time';
}

function agreedNext(conversation: Conversation, turns: string[][], i: number): boolean {
  const speaker = conversation.utterances[i]!.speaker;
  const j = conversation.utterances.findIndex((u, idx) => idx > i && u.speaker !== speaker);
  if (j < 0 || j > i + 2) return false;
  return (turns[j] ?? []).some((s) => AGREEMENT.test(s.trim()));
}

interface TitleContext {
  /** Sentences of the two turns before, nearest first. */
  before: readonly string[];
  /** Every earlier sentence, oldest first. */
  history: readonly string[];
  /** A question proposing a time; once agreed, it may schedule the thing talked about earlier. */
  proposal: boolean;
  cast: Cast;
  conversation: Conversation;
  existing: readonly ExtractedEvent[];
}

function titleFor(sentence: string, { before, history, cast, conversation, existing, proposal }: TitleContext): string | null {
  const pick = PICK_UP.exec(sentence);
  if (pick) {
    const who = pick[1] ?? pick[2]!;
    const person = /^(?:her|him)$/i.test(who) ? resolvePronoun(who, history) : who;
    if (person) return `Pick up ${person}`;
  }
  const doctor = DOCTOR.exec(sentence);
  if (doctor) return `Appointment with Dr. ${doctor[1]}`;
  const noun = nounTitle(sentence) ?? (FLIGHT_VERB.test(sentence) ? 'Flight' : null) ?? (MEET_VERB.test(sentence) ? 'Meeting' : null) ?? (VISIT_VERB.test(sentence) ? 'Visit' : null);
  // A title borrowed from the turns before ("Which flight?" — "Friday at 6:40") is a new event only if
  // no event by that name exists yet; otherwise it confirms one ("Wednesday at 11 works for me").
  // Failing that, the last thing named earlier ("…here for book club?" … "Seven thirty, March fifth").
  const borrowed = noun
    ? null
    : (before.map(nounTitle).find((t) => t !== null) ?? (proposal ? [...history].reverse().map(nounTitle).find((t) => t !== null) : null) ?? null);
  if (borrowed && existing.some((e) => e.title.startsWith(borrowed))) return null;
  const title = noun ?? borrowed;
  if (!title) return null;
  const head = title.split(' ').pop()!.toLowerCase();
  const withWhom = /\bwith\s+((?:Dr\.?\s+)?[A-Z][a-z]+)\b/.exec(sentence)?.[1];
  const other = cast.other !== null && conversation.participants === 2 ? cast.names.get(cast.other) : undefined;
  const name = withWhom ?? (SOCIAL_NOUNS.has(head) ? other : undefined);
  return name ? `${title} with ${name}` : title;
}

/** "my piano recital" → "Piano recital", "the dentist" → "Dentist appointment". */
function nounTitle(sentence: string): string | null {
  const all = [...sentence.matchAll(NOUNS_ALL)];
  // A compound ("field trip") says more than a single word before it ("class").
  const m = all.find((x) => /[\s-]/.test(x[1]!)) ?? all[0];
  if (!m) return null;
  const noun = m[1]!.toLowerCase().replace(new RegExp(`^(${PLURALS.replaceAll('s|', '|').slice(0, -1)})s$`), '$1');
  if (noun === 'dentist') return 'Dentist appointment';
  if (/^(?:technician|plumber|electrician)$/.test(noun)) return `${capitalize(noun)} visit`;
  const before = sentence.slice(0, m.index).trim().split(/\s+/).pop() ?? '';
  const describes =
    /^[a-z][a-z-]+$/i.test(before) && !STOPWORDS.has(before.toLowerCase()) && !/(?:ed|ing|ly)$/.test(before) && !NOT_MODIFIERS.test(before);
  const modifier = describes ? `${before.toLowerCase()} ` : '';
  return capitalize(`${modifier}${m[1]!.length === noun.length ? m[1] : noun}`);
}

function durationOf(sentence: string, following: string[]): number {
  const own = DURATION.exec(sentence);
  const later = own ? null : following.find((s) => DURATION_CONTEXT.test(s) && DURATION.test(s));
  const m = own ?? (later ? DURATION.exec(later) : null);
  if (!m) return DEFAULT_EVENT_MINUTES;
  const amount = AMOUNTS[m[1]!.toLowerCase()] ?? Number(m[1]);
  const hours = /^h/i.test(m[2]!);
  const minutes = Math.round((hours ? amount * 60 : amount) + (m[3] ? 30 : 0));
  return Number.isFinite(minutes) && minutes > 0 && minutes <= 24 * 60 ? minutes : DEFAULT_EVENT_MINUTES;
}
