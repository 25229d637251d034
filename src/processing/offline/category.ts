/**
 * Category and emoji by weighted keyword scoring. Each category has a lexicon of `word:weight`
 * entries (phrases joined with `_`); a conversation scores the weights of the words it uses, each
 * counted at most three times so one repeated word cannot carry it. The highest score wins, ties
 * go to the category listed first below, and a conversation that scores too little is `other`.
 */
import type { ConversationCategory } from '../../modules/conversations/categories.ts';
import { stem, tokenize } from './text.ts';

const LEXICON: ReadonlyArray<readonly [ConversationCategory, string]> = [
  [
    'work',
    'meeting:2 standup:3 deadline:2 project:2 manager:1 team:1 client:2 deliverable:3 sprint:3 ' +
    'roadmap:3 launch:2 okr:3 stakeholder:3 agenda:2 boss:2 colleague:2 office:2 timeline:2 retro:3 ' +
    'leadership:2 hiring:2 quarter:1 kickoff:3 kick-off:3 jira:3 beta:1 brief:1 project_brief:3 ' +
    'design_review:2 wireframes:1 portal:1 timesheet:3 deck:2 slides:2 q1:2 q2:2 q3:2 q4:2 ' +
    'all-hands:3 ticket:1 usability:1 contractor:2 workload:2 promotion:2 payroll:2 review:1 ' +
    'expense_report:3 coworker:2 job:1 onboarding:1 escalate:2 blocker:2 plan_doc:2 ' +
    'interview:3 recruiter:3 final_round:3 resume:3 linkedin:2 job_offer:3 references:1 status_update:2 headcount:2 offsite:2 handover:2 on-call:2 backlog:2 performance_reviews:3 priorities:1 hand_in_my_notice:3',
  ],
  [
    'business',
    'sales:3 customer:2 pricing:3 proposal:3 deal:2 contract:1 revenue:3 market:1 vendor:2 seats:2 ' +
    'pipeline:2 demo:2 prospect:3 procurement:3 invoice:2 quote:1 discount:2 enterprise:2 ' +
    'negotiation:2 partnership:2 marketing:2 volume_pricing:3 account_manager:2 questionnaire:1 ' +
    'business:3',
  ],
  [
    'technology',
    'code:3 software:3 bug:3 deploy:3 server:3 api:3 database:3 redis:3 cache:3 caching:3 release:2 ' +
    'pr:2 merge:2 merged:2 app:2 computer:2 laptop:2 ai:2 cloud:2 integration:2 sandbox:2 staging:3 ' +
    'frontend:3 backend:3 login:2 middleware:3 heap:3 memory_leak:3 csv:2 programming:3 developer:2 ' +
    'engineering:2 github:3 sso:2 code_freeze:3 cluster:1 invalidation:2 snapshots:1 admin_console:2 ' +
    'soc_2:1 tech:3 monolith:3 microservices:3 repo:3 config:2 rollback:3 incident:2 router:2 wifi:2 internet:2 dashboard:2 analytics:1 queue_library:3',
  ],
  [
    'health',
    'doctor:3 dr:2 clinic:3 hospital:2 blood:2 medication:3 medications:3 prescription:3 pharmacy:3 ' +
    'symptom:3 pain:2 allergic:2 allergy:2 diet:2 exercise:2 workout:2 gym:2 fasting:2 fast:1 ' +
    'refill:2 nurse:1 therapy:2 dentist:3 physio:2 sick:2 flu:2 fever:3 injury:2 health:3 ' +
    'insurance_card:2 results:1 test_results:3 blood_test:3 epipen:2 appointment:1 checkup:3 ' +
    'vitamin:2 migraine:3 migraines:3 blood_work:3 cholesterol:3 neurologist:3 insulin:2 supplement:2 surgery:1',
  ],
  [
    'family',
    'mom:2 dad:2 mum:2 mother:2 father:2 grandma:3 grandpa:3 grandmother:3 grandfather:3 sister:1 ' +
    'brother:1 kids:2 son:2 daughter:2 family:3 parents:2 aunt:2 uncle:2 cousin:1 sleepover:2 bunk:2 ' +
    'fridge:1 relatives:2 guest_room:2 buddy:1 pasta:1 nan:3 nana:3 granny:3 grandparents:3 in-laws:3 siblings:2',
  ],
  [
    'parenting',
    'homework:3 school:2 field_trip:3 permission_slip:3 pta:3 kindergarten:3 principal:1 teacher:2 recital:2 science_project:3 bedtime:3 daycare:3 babysitter:3 ' +
    'parenting:3 toddler:3 baby:2 diaper:3 nursery:3 cot:3 crib:3 nappies:3 diapers:3 paediatrician:3 pediatrician:3 car_seat:3 pregnant:2 school_run:3',
  ],
  [
    'travel',
    'trip:3 flight:3 flights:3 airport:2 hotel:3 airbnb:3 airbnbs:3 passport:1 vacation:3 holiday:2 ' +
    'itinerary:3 luggage:3 train:1 visa:2 tour:2 beach:2 travel:3 abroad:2 check-in:2 hostel:3 ' +
    'lands:1 euros:1 return:1 window_seat:1 boarding_pass:3 boarding_passes:3 ferry:2 ferries:2 packing:2',
  ],
  [
    'education',
    'lecture:3 class:2 classes:2 course:2 exam:3 studying:2 studied:2 chapter:2 textbook:3 ' +
    'professor:3 student:3 students:3 university:3 learning:2 learn:1 problem_set:3 assignment:2 ' +
    'grade:2 semester:3 tutor:2 extensions:1 cramming:2 study:1',
  ],
  [
    'science',
    'research:2 experiment:3 hypothesis:3 brain:2 hippocampus:3 neocortex:3 cells:2 physics:3 ' +
    'chemistry:3 biology:3 evidence:2 scientists:3 neuroscience:3 consolidation:2 rem:1 slow-wave:2 ' +
    'circadian:3 hypothalamus:3 molecule:3 receptors:3 studies:2 half-life:2',
  ],
  [
    'finance',
    'budget:3 money:2 invest:3 investment:3 stock:3 savings:3 loan:3 mortgage:2 tax:3 taxes:3 bank:3 banking:3 debit:2 overdraft:3 ' +
    'debit_card:3 credit_card:3 fraud:1 statement:1 deposit:2 atm:2 premium:1 ' +
    'expenses:2 salary:2 spending:2 debt:3 credit:2 portfolio:3 retirement:3 crypto:2 numbers:1 ' +
    'cost:1 costs:1 forecast:1 accounting:2 fiscal:2 finance:3 percent:1 over_budget:3',
  ],
  [
    'social',
    'party:2 friends:2 drinks:2 birthday:2 brunch:2 bar:1 catch_up:2 wedding:1 celebrate:2 cake:1 ' +
    'candles:1 restaurant:1 table:1 hang_out:2 dinner:1 people:1 wine:2 congrats:2 congratulations:2 cheers:2 pasta:1 dessert:1 reunion:3 street_party:3 get-together:2 gig:2 barbecue:2 bbq:2 potluck:3 group_chat:1',
  ],
  [
    'personal',
    'errands:3 chores:2 landlord:3 heater:2 technician:2 plumber:2 repair:2 neighbour:1 neighbor:1 ' +
    'flat:1 rent:1 laundry:2 dry_cleaning:2 groceries:2 note_to_self:2 personal:2 new_place:2 ' +
    'apartment:1 sink:1 renew:1 moved:1 running_again:1 faucet:2 leak:2 leaking:2 boiler:2 handyman:3 ' +
    'repairs:2 grocery:2 supermarket:2 dog:2 cat:1 puppy:2 kitten:2 pet:2 vet:3 dog_food:3 car:2 mechanic:2 ' +
    'garage:2 tyres:2 tires:2 oil_change:3 mot:3 car_service:3 car_insurance:2 insurance:1 household:2 ' +
    'warranty:3 receipt:2 refund:3 order_number:2 washing_machine:3 dishwasher:3 appliance:2 appliances:2 customer_service:2',
  ],
  [
    'entertainment',
    'movie:3 film:3 series:2 tv:2 netflix:3 episode:3 actor:2 celebrity:3 trailer:2 channel:1 ' +
    'watched:1',
  ],
  [
    'sports',
    'game:1 match:2 score:2 football:3 soccer:3 basketball:3 tennis:3 marathon:3 league:3 season:1 ' +
    'hiking:1 cycling:2 coach:1 run:1 long_run:3 running:2 training:2 race:2 legs:1 fitness:3 gym:2 workout:2 ' +
    'stretch:1 stretching:1 running_shoes:2 yoga:2 pilates:2 swim:1 swimming:2 hike:3 trail:2 climbing:2 deadlift:3 half_marathon:3 trailhead:3',
  ],
  ['music', 'song:3 album:3 band:3 guitar:3 piano:2 concert:2 music:3 playlist:3 singer:3'],
  [
    'romantic',
    'boyfriend:3 girlfriend:3 relationship:2 romantic:3 anniversary:2 valentine:3 crush:3 ' +
    'date_night:3 wedding:3 rings:2 engagement:3 honeymoon:3 fiance:3 fiancé:3 fiancée:3 rsvp:1 rsvped:1 first_date:3',
  ],
  ['legal', 'lawyer:3 attorney:3 court:3 lawsuit:3 legal:3 compliance:2 nda:3 liability:3 custody:2'],
  [
    'real',
    'realtor:3 property:3 real_estate:3 lease:3 tenant:3 listing:2 mortgage:1 house_hunting:3 ' +
    'viewing:1',
  ],
  ['weather', 'weather:3 rain:2 forecast:1 sunny:2 snow:2 storm:2 temperature:2'],
  ['news', 'news!:3 headline:2 breaking:1 journalist:3 newspaper:3 newsletter:2 regulators:2'],
  [
    'politics',
    'election:3 government:2 policy:1 vote:3 president:3 senate:3 congress:3 political:3 minister:3 ' +
    'campaign:1 parliament:3',
  ],
  [
    'entrepreneurship',
    'startup:3 founder:3 funding:3 investors:3 fundraising:3 vc:3 pitch:2 equity:2 mvp:3 cofounder:3 ' +
    'seed_round:3 bootstrapping:3',
  ],
  [
    'psychology',
    'anxiety:3 therapist:3 emotions:2 mindset:2 behavior:2 motivation:1 burnout:3 stress:1 ' +
    'stressful:1 emotional:1',
  ],
  ['design', 'design:2 designer:2 ux:3 ui:3 mockup:3 figma:3 wireframe:3 prototype:2 font:2 layout:2 logo:3 brand:2 branding:3 brand_guide:3 illustrations:2 icons:2 typography:3'],
  [
    'literature',
    'novel:3 novels:3 author:2 poem:3 poetry:3 writer:2 fiction:3 book_club:3 chapter:2 chapters:2 character:2 characters:2 ' +
    'plot:3 protagonist:3 narrator:3 prose:3 memoir:3 literary:3 reread:2 writing_group:3 book:1 reader:1',
  ],
  ['history', 'history:3 war:2 century:2 ancient:3 empire:3 historical:3 medieval:3'],
  ['architecture', 'architecture:3 architect:3 blueprint:3 renovation:2 construction:2'],
  ['economics', 'economy:3 inflation:3 interest_rates:3 gdp:3 recession:3 economics:3 unemployment:3'],
  ['environment', 'climate:3 environment:3 recycling:3 sustainability:3 carbon:3 pollution:3 emissions:3'],
  ['spiritual', 'meditation:3 prayer:3 church:3 god:2 spiritual:3 faith:3 temple:2 mindfulness:2'],
  ['philosophy', 'philosophy:3 ethics:3 stoic:3 existential:3 consciousness:2 morality:3'],
  ['inspiration', 'inspiration:3 inspiring:3 passion:2 dreams:1'],
];

interface Lexicon {
  words: Map<string, number>;
  phrases: Array<[RegExp, number]>;
}

const COMPILED: ReadonlyArray<readonly [ConversationCategory, Lexicon]> = LEXICON.map(([category, spec]) => {
  const words = new Map<string, number>();
  const phrases: Array<[RegExp, number]> = [];
  for (const entry of spec.split(' ')) {
    const [term, weight] = entry.split(':') as [string, string];
    // Phrases, and words whose stem would collide with another word ("news" → "new"), match as written.
    if (term.includes('_') || term.endsWith('!')) phrases.push([new RegExp(`\\b${term.replace(/!$/, '').replace(/_/g, '\\s+')}s?\\b`, 'gi'), Number(weight)]);
    else words.set(stem(term), Number(weight));
  }
  return [category, { words, phrases }] as const;
});

/** First-person statements about one's own life mark a personal conversation, whatever it touches. */
const LIFE_STATEMENT =
  /\b(?:i (?:live|moved|grew up|work as|work at|work from home|prefer|love|hate|do hate|have a|am learning|'m learning|'m allergic|am allergic|'m (?:a|an) [a-z]+ person)|my (?:sister|brother|wife|husband|partner|mom|dad|physio|favou?rite))\b/gi;

export const countLifeStatements = (text: string): number => (text.match(LIFE_STATEMENT) ?? []).length;

export const CATEGORY_EMOJI: Readonly<Record<ConversationCategory, string>> = {
  personal: '🙂', education: '📚', health: '🩺', finance: '💰', legal: '⚖️', philosophy: '🤔',
  spiritual: '🕊️', science: '🔬', entrepreneurship: '🚀', parenting: '🧸', romantic: '❤️', travel: '✈️',
  inspiration: '✨', technology: '💻', business: '📈', social: '🥂', work: '💼', sports: '⚽',
  politics: '🏛️', literature: '📖', history: '📜', architecture: '🏗️', music: '🎵', weather: '🌦️',
  news: '📰', entertainment: '🎬', psychology: '🧠', real: '🏠', design: '🎨', family: '👨‍👩‍👧',
  economics: '📊', environment: '🌱', other: '🧠',
};

/** Scores below this are too thin to call. */
const MIN_SCORE = 2;

export function scoreCategories(text: string): Map<ConversationCategory, number> {
  const counts = new Map<string, number>();
  for (const token of tokenize(text)) {
    const key = stem(token);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const scores = new Map<ConversationCategory, number>();
  for (const [category, lexicon] of COMPILED) {
    let score = 0;
    for (const [word, weight] of lexicon.words) score += weight * Math.min(counts.get(word) ?? 0, 3);
    for (const [re, weight] of lexicon.phrases) score += weight * Math.min((text.match(re) ?? []).length, 3);
    if (score > 0) scores.set(category, score);
  }
  const life = Math.min(countLifeStatements(text), 6);
  if (life > 0) scores.set('personal', (scores.get('personal') ?? 0) + life * 2);
  return scores;
}

export function pickCategory(text: string): ConversationCategory {
  let best: ConversationCategory = 'other';
  let bestScore = MIN_SCORE - Number.EPSILON;
  // Map iteration follows lexicon order, so an earlier category wins a tie.
  for (const [category, score] of scoreCategories(text)) {
    if (score > bestScore) {
      best = category;
      bestScore = score;
    }
  }
  return best;
}

export const emojiFor = (category: ConversationCategory): string => CATEGORY_EMOJI[category];
