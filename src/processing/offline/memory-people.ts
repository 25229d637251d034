/**
 * Memory patterns for the people and animals in the user's life, their possessions, habits and
 * body ("my manager Dana…", "my dog Biscuit", "we have two young kids", "I drive a 2015 Civic",
 * "my knee's still iffy"). Facts are written as upstream writes them: short, the user implied.
 */
export interface MemoryPattern {
  re: RegExp;
  /** Higher is more worth remembering. */
  weight: number;
  build(m: RegExpExecArray): string | null;
  category?: 'interesting';
}

const re = (source: string): RegExp => new RegExp(source, 'i');
const REST = String.raw`([^,.;!?]+)`;
const NAME = String.raw`([A-Z][a-z]+)`;
const KIN =
  '(?:(?:younger|older|little|big|baby|twin|eldest|youngest|oldest|step) )?(?:sister|brother|wife|husband|partner|girlfriend|boyfriend|fiancée?|mom|mum|mother|dad|father|son|daughter|best friend|friend|cousin|grandma|grandmother|grandpa|grandfather|nan|aunt|uncle|niece|nephew|roommate|flatmate|housemate|manager|boss|colleague|coworker|co-worker|teammate|neighbou?r|mentor|landlord|landlady|therapist|doctor|kid|child|baby)';
const GROUP = '(?:parents|in-laws|grandparents|kids|children|family|sisters|brothers|twins)';
const PETS = '(?:dog|cat|puppy|kitten|parrot|rabbit|bunny|hamster|horse|tortoise|turtle|guinea pig|golden retriever|labrador|lab|spaniel|terrier|beagle|poodle|collie|greyhound|dachshund)';
const PART = '(?:knee|back|lower back|shoulder|hip|ankle|wrist|neck|elbow|foot|hamstring)';
const NUMBER = '(?:a|one|two|three|four|five|\\d)';
/** What is said of a person that stays true: "is a chef", "lives in Osaka", "just got promoted" — not "is out today". */
const DURABLE =
  '(?:is|are|was)(?= (?:an? |from |allergic |vegetarian|vegan|retired|pregnant|diabetic|married|engaged|\\w+ years old|\\d|five|six|seven|eight|nine|ten|eleven|twelve|the (?:\\w+ )?(?:manager|head|owner|director|lead|founder)))|works|work|lives|live|teaches|studies|runs|(?:just )?got(?= (?:promoted|married|engaged|divorced|a new job|into))|has|had|loves|hates';
const NOT_NAME = /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|And|But|So|The|I|I'm|God)$/;

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const lower = (s: string): string => s.toLowerCase();
const named = (name: string | undefined): string | null => (name && !NOT_NAME.test(name) ? name : null);
const article = (noun: string): string => (/^[aeiou]/i.test(noun) ? 'an' : 'a');

export const PEOPLE_PATTERNS: readonly MemoryPattern[] = [
  // "my younger brother Kenji is a chef", "my partner Sam works from home on Tuesdays"
  {
    re: new RegExp(String.raw`\b(?:[Mm]y|[Oo]ur) (${KIN}|${GROUP})(?: ${NAME})? (${DURABLE}) ${REST}`),
    weight: 8,
    build: (m) => (m[2] !== undefined && !named(m[2]) ? null : `${cap(lower(m[1]!))}${m[2] ? ` ${m[2]}` : ''} ${m[3]} ${m[4]}`),
  },
  // "my manager Dana keeps asking…", "my wife Priya and I…"
  { re: new RegExp(String.raw`\b(?:[Mm]y|[Oo]ur) (${KIN}),? ${NAME}\b`), weight: 7, build: (m) => (named(m[2]) ? `${cap(lower(m[1]!))} is named ${m[2]}` : null) },
  // "my partner's family is from Valencia"
  { re: re(String.raw`\bmy (${KIN})'s (family|parents|mum|mom|dad|mother|father) (?:is|are) from ${NAME}`), weight: 7, build: (m) => `${cap(lower(m[1]!))}'s ${lower(m[2]!)} ${/s$|family/.test(m[2]!) ? 'are' : 'is'} from ${m[3]}`.replace('family are', 'family is') },
  // "my dog Biscuit", "a cat called Pickle", "the parrot's called Captain", "a golden retriever called Max"
  { re: new RegExp(String.raw`\b(?:[Mm]y|[Oo]ur) (${PETS}) ${NAME}\b`), weight: 8, build: (m) => (named(m[2]) ? `Has ${article(m[1]!)} ${lower(m[1]!)} named ${m[2]}` : null) },
  { re: new RegExp(String.raw`\b(?:[Aa]n?|[Mm]y|[Oo]ur|[Tt]he) (${PETS})(?:'s| is)? (?:called|named) ${NAME}\b`), weight: 8, build: (m) => (named(m[2]) ? `Has ${article(m[1]!)} ${lower(m[1]!)} named ${m[2]}` : null) },
  { re: re(String.raw`\b(?:i|we) (?:have|'ve got|have got|own) (${NUMBER}) (${PETS}s?)\b`), weight: 6, build: (m) => `Has ${lower(m[1]!)} ${lower(m[2]!)}` },
  // "we have two young kids", "I've got three children"
  {
    re: re(String.raw`\b(?:i|we) (?:have|'ve got|have got|'ve) (${NUMBER}) ((?:young |little |small |grown-up |teenage )?(?:kids|children|boys|girls|sons|daughters|son|daughter|baby))\b`),
    weight: 8,
    build: (m) => `Has ${lower(m[1]!)} ${lower(m[2]!)}`,
  },
  { re: new RegExp(String.raw`\b(?:[Mm]y|[Oo]ur|[Tt]he) (kids|children|boys|girls|twins),? ${NAME} and ${NAME}\b`), weight: 8, build: (m) => `Has ${lower(m[1]!)} named ${m[2]} and ${m[3]}` },
  // Possessions and habits
  { re: re(String.raw`\bi (?:drive|ride) (an? (?:\d{4} )?[A-Za-z][^,.;!?]*)`), weight: 6, build: (m) => `Drives ${m[1]}` },
  { re: re(String.raw`\bi (rent|own) (?:my|our|the|a) (flat|house|apartment|place|home)\b|\bi rent\b`), weight: 6, build: (m) => (m[1] ? `${m[1] === 'rent' ? 'Rents' : 'Owns'} their ${lower(m[2]!)}` : 'Rents their home') },
  { re: re(String.raw`\bi(?:'m| am)? (?:now )?(cycle|cycling|bike|biking|walk|walking|run|running|commute|commuting) to work\b`), weight: 6, build: (m) => `${cap(lower(m[1]!).replace(/ing$/, '').replace(/cycl$/, 'cycle'))}s to work` },
  { re: re(String.raw`\bi (?:don't|do not|no longer) (drink|eat|smoke) ([a-z ]+?) (?:anymore|any more)\b`), weight: 7, build: (m) => `No longer ${lower(m[1]!)}s ${m[2]}` },
  { re: re(String.raw`\bi(?:'m| am) (?:a bit |really |totally |kind of |kinda |a little )?(?:obsessed with|into|passionate about|a big fan of|hooked on) ${REST}`), weight: 5, build: (m) => `Enjoys ${m[1]}` },
  { re: re(String.raw`\bi(?:'m| am) the ([a-z ]*?(?:manager|lead|head|director|owner|founder|captain|chair|organi[sz]er|coordinator)\b[^,.;!?]*)`), weight: 8, build: (m) => `Is the ${m[1]}` },
  { re: re(String.raw`\bi(?:'ve| have) been (an? [^,.;!?]+?) for ([^,.;!?]+)`), weight: 8, build: (m) => `Has been ${m[1]} for ${m[2]}` },
  { re: re(String.raw`\bi(?:'m| am) (?:joining|starting at|moving to) (an? [^,.;!?]+ as [^,.;!?]+)`), weight: 8, build: (m) => `Is joining ${m[1]}` },
  { re: re(String.raw`\bi (?:want|hope|plan|'d like) to ([a-z]+ [^,.;!?]+? by (?:summer|spring|autumn|fall|winter|the end of the year|next year|\d{4}))\b`), weight: 6, build: (m) => `Wants to ${m[1]}` },
  // "Mia loves pottery", "Kenji is a chef": what the user says of a named person in their life.
  { re: new RegExp(String.raw`^(?:[a-z]+,?\s+)?${NAME} (loves|hates|adores|is allergic to|is (?:vegetarian|vegan)|is an? (?!bit\b|lot\b|little\b)[a-z]+|works (?:as|at|for)|lives in) ${REST}`), weight: 5, build: (m) => (named(m[1]) ? `${m[1]} ${m[2]} ${m[3]}` : null) },
  { re: re(String.raw`\bi(?:'ve| have) been (sleeping (?:badly|poorly|terribly)|struggling with [^,.;!?]+|having (?:panic attacks|migraines|headaches|nightmares|back pain)[^,.;!?]*)`), weight: 6, build: (m) => `Has been ${m[1]}` },
  // Body and health
  { re: re(String.raw`\bmy ((?:left |right )?${PART})(?:'s| is| has been|'s been)? (?:still |really |a bit |kind of |kinda )*(hurt|hurts|iffy|bad|sore|injured|playing up|killing me|stiff)\b`), weight: 7, build: (m) => `Has a ${lower(m[2]!) === 'iffy' ? 'weak' : 'sore'} ${lower(m[1]!)}` },
  { re: re(String.raw`\bi(?:'ve got| have got| have|'ve) (?:got )?(?:a )?(bad|weak|dodgy|sore|chronic|bum) ((?:left |right |lower )?${PART})\b`), weight: 7, build: (m) => `Has a ${lower(m[1]!)} ${lower(m[2]!)}` },
  { re: re(String.raw`\bi (had|have|'ve had) (a slipped disc|asthma|diabetes|eczema|arthritis|adhd|anxiety|insomnia|high blood pressure|a heart condition|celiac disease|crohn's)\b([^,.;!?]*)`), weight: 8, build: (m) => `${lower(m[1]!) === 'have' ? 'Has' : 'Has had'} ${m[2]}${m[3]}` },
  { re: re(String.raw`\bwe(?:'re| are) expecting\b(?: (?:a|our) )?([^,.;!?]*)`), weight: 8, build: (m) => `Is expecting ${m[1] ? `a ${m[1].replace(/^(?:a|our) /, '')}` : 'a baby'}` },
  { re: re(String.raw`\bi (?:usually |always |normally |still )?(go|run|swim|cycle|climb|train|play [a-z]+|do yoga|go [a-z]+ing) ((?:every|each) (?:day|morning|evening|week|weekend|sunday|saturday)|twice a week|once a week|\w+ times a week|on (?:\w+days|weekends))\b`), weight: 6, build: (m) => `${cap(lower(m[1]!)).replace(/^(\w+)/, (v) => (v === 'Go' ? 'Goes' : `${v}s`))} ${m[2]}` },
  { re: re(String.raw`\bi volunteer (?:at|with|for) ${REST}`), weight: 6, build: (m) => `Volunteers at ${m[1]}` },
  { re: re(String.raw`\bi (?:quit|gave up|stopped) (smoking|drinking|alcohol|coffee|sugar|meat|vaping)\b`), weight: 7, build: (m) => `Quit ${lower(m[1]!)}` },
  { re: new RegExp(String.raw`\b[Ii](?:'m| am) (?:a )?(?:huge |big |massive |lifelong )?([A-Z][a-z]+(?: [A-Z][a-z]+)?) (fan|supporter)\b`), weight: 6, build: (m) => `Is a ${m[1]} ${m[2]}` },
];
