/**
 * Answering a question from the user's own conversations (`POST /v1/dev/user/ask`). Retrieval
 * happens before this; an answerer only writes the answer from the sources it is given, and
 * says which of them it used.
 */
export interface AnswerSource {
  id: string;
  title: string;
  overview: string;
  /** When the conversation started (ISO 8601), or null if unknown. */
  startedAt: string | null;
  /** The transcript as "Speaker: text" lines, or the conversation's text; may be long. */
  text: string;
}

export interface AnswerInput {
  question: string;
  /** IANA zone the question's relative dates ("yesterday") and the answer's dates are in. */
  timeZone: string;
  now: Date;
  /** Best first. Never empty: the caller answers "nothing found" itself. */
  sources: AnswerSource[];
}

export interface Answer {
  answer: string;
  /** Ids of the sources the answer rests on, in order of first use; a subset of the input's. */
  cited: string[];
}

export interface QuestionAnswerer {
  answer(input: AnswerInput): Promise<Answer>;
}
