/**
 * A television, radio or podcast heard in the background: its voice gets a speaker label like
 * anyone else's, but nothing it says is the user's business.
 */

/** Phrases of radio and television copy: adverts, traffic and weather reports, presenters' links, commentary. */
export const BROADCAST =
  /\b(?:don't miss|call now|call in now|limited time|while stocks last|sale\b|offer ends|terms and conditions|visit us at|traffic (?:on|is)|junction \w+|weather (?:today|tonight|for|with)|after the break|coming up|stay tuned|drive ?time|the charts|you're listening to|on air|\d+(?:\.\d+)? ?fm\b|point \w+ fm|news at|breaking news|in other news|welcome back to|this episode|(?:our|today's) sponsor|(?:promo )?code \w+ for|operators are standing by|tonight on|the crowd|he scores|she scores|what a goal|stock market|be right back|back after these|residents should|authorities urge)/gi;

const hits = (text: string): number => (text.match(BROADCAST) ?? []).length;

/**
 * The speakers (never the user) whose lines carry broadcast copy: one cue in a short stretch, or
 * one per three lines in a longer one. A lone unmarked voice counts too: it is not dictating.
 */
export function mediaSpeakers(turns: ReadonlyArray<{ speaker: string; isUser: boolean; text: string }>): Set<string> {
  const bySpeaker = new Map<string, string[]>();
  for (const t of turns) if (!t.isUser) bySpeaker.set(t.speaker, [...(bySpeaker.get(t.speaker) ?? []), t.text]);
  const media = new Set<string>();
  for (const [speaker, lines] of bySpeaker) {
    const count = lines.reduce((n, l) => n + hits(l), 0);
    if (count >= 1 && count * 3 >= lines.length) media.add(speaker);
  }
  return media;
}
