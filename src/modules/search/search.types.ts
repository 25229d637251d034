/** What the search index holds, one kind per searchable resource. */
export const SEARCH_KINDS = ['memory', 'conversation', 'action_item'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/**
 * A keyword query after parsing: plain words (letters and digits only, so no adapter ever sees
 * query syntax from a user) that a document matches if it has any of them, best when it has most.
 * `prefix` makes the last word also match words that start with it (search as you type).
 */
export interface KeywordQuery {
  terms: string[];
  prefix: boolean;
  /** Every word must match (for finding near-copies of a text), not any of them (ranked search). */
  every?: boolean;
}

/** One hit of one retriever: a document id and that retriever's score (higher is better). */
export interface Hit {
  id: string;
  score: number;
}

/** A stored embedding of one document. */
export interface StoredVector {
  id: string;
  vector: Float32Array;
}

/** A document whose embedding is missing or older than its text. */
export interface PendingDocument {
  kind: SearchKind;
  id: string;
  text: string;
  /** The document's `updated_at` when its text was read. */
  version: string;
  /** Digest of the text the stored embedding (same model) was made from, if there is one. */
  storedDigest: string | null;
}
