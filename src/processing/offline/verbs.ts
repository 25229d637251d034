/**
 * A small lexicon of verbs people use for tasks, and the bits of English morphology the
 * extractors need (gerunds for "Follow up with Sarah on sending…", third person for memories).
 */

/** Base forms that open a to-do ("Send…", "Book…", "Pick up…"). */
export const ACTION_VERBS: ReadonlySet<string> = new Set(
  (
    'activate add adjust answer apply approve arrange ask assign attach attend bake book bring buy call cancel ' +
    'change charge check clean clear collect complete confirm contact cook copy cover create deliver ' +
    'design do double-check download draft drive drop email escalate feed fetch file fill finalize ' +
    'finalise find finish fix follow forward get give grab handle help hire install invite join label ' +
    'keep leave look make mail message move order organize organise pack pair pay phone pick plan post prep prepare ' +
    'present print put read reach refill register remind remove renew rent repair replace reply report request reschedule reserve ' +
    'respond return review run save schedule send set share ship sign sort start submit switch take talk test ' +
    'text tell transfer update upload vacuum visit walk wash water wrap write ' +
    'assemble paint ice chase host backup back research draft email rebook restart reset revert rotate ' +
    'inspect measure practise practice study memorize memorise rehearse sweep tidy mow iron polish log track record brush learn revise'
  ).split(' '),
);

/** Verbs that never start a task, whatever trigger precedes them ("I'll be there", "let me think"). */
export const NON_TASK_VERBS: ReadonlySet<string> = new Set(
  (
    'be think see guess say admit bet wonder mean hope know love like want need have miss wait stop ' +
    'never not probably maybe believe imagine hear remember forget try feel agree go come stay sleep ' +
    'catch hang'
  ).split(' '),
);

/** Verbs whose first object is the recipient ("send you the deck"): the recipient can be dropped. */
export const DATIVE_VERBS: ReadonlySet<string> = new Set(
  'send give show email text forward get bring hand mail pass message tell buy book'.split(' '),
);

/** Particles of phrasal verbs ("pick it up", "send it over"). */
export const PARTICLES: ReadonlySet<string> = new Set('up down over out off back in on through together'.split(' '));

const DOUBLE_FINAL = new Set(['submit', 'commit', 'admit', 'permit', 'omit', 'forget', 'begin', 'refer', 'prefer', 'transfer', 'regret', 'upset', 'occur', 'control', 'equip']);
const IRREGULAR_THIRD: Record<string, string> = { have: 'has', do: 'does', go: 'goes', be: 'is' };

/** "send" → "sending", "plan" → "planning", "make" → "making", "submit" → "submitting". */
export function gerund(verb: string): string {
  const v = verb.toLowerCase();
  if (v === 'be') return 'being';
  if (v.endsWith('ie')) return `${v.slice(0, -2)}ying`;
  if (v.endsWith('e') && !/(?:ee|ye|oe)$/.test(v)) return `${v.slice(0, -1)}ing`;
  if (DOUBLE_FINAL.has(v) || (v.length <= 4 && /^[^aeiou]*[aeiou][^aeiouwxy]$/.test(v))) return `${v}${v.slice(-1)}ing`;
  return `${v}ing`;
}

/** "work" → "works", "try" → "tries", "watch" → "watches", "have" → "has". */
export function thirdPerson(verb: string): string {
  const v = verb.toLowerCase();
  const irregular = IRREGULAR_THIRD[v];
  if (irregular) return irregular;
  if (/[^aeiou]y$/.test(v)) return `${v.slice(0, -1)}ies`;
  if (/(?:s|sh|ch|x|z|o)$/.test(v)) return `${v}es`;
  return `${v}s`;
}
