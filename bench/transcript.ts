/** A plausible meeting transcript, `count` segments long. */
export function transcript(count: number, seed: number) {
  const lines = [
    'Okay, so the main thing today is the launch plan for project %.',
    "I'll send the updated budget to finance by Friday.",
    'Can you book the conference room for the review next Tuesday at 3pm?',
    'The numbers from last quarter look better than we expected.',
    'We should hire a contractor for the website redesign.',
    'My sister is visiting next week, so I will be out on Thursday.',
  ];
  return Array.from({ length: count }, (_, i) => ({
    text: lines[i % lines.length]!.replace('%', String(seed)),
    speaker: `SPEAKER_0${i % 2}`,
    is_user: i % 2 === 0,
    start: i * 5,
    end: i * 5 + 4,
  }));
}
