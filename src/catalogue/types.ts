/** One search hit: the public shape used by the CLI, the HTTP API and the conversation. */
export interface SearchResult {
  id: string
  code: string | null
  title: string
  /** Relevance in [0, 1]; higher is better. Comparable between the results of one query only. */
  score: number
}

/**
 * How sure the engine is that the message is about a procedure, and which one:
 * - `sure`: one procedure is clearly meant (open its card, or answer the asked aspect directly);
 * - `unsure`: the message is about a procedure, but the top few are close (offer them as choices);
 * - `none`: no procedure-bearing words matched, or the message is about something outside the catalogue.
 */
export type Confidence = 'sure' | 'unsure' | 'none'

/** A ranked result set with its answerability decision; `results` is empty when `confidence` is `none`. */
export interface SearchOutcome {
  confidence: Confidence
  results: SearchResult[]
}

export interface SearchOptions {
  limit?: number
}

/** The procedure search engine built over the catalogue. */
export interface ProcedureSearch {
  /** Ranked results with the answerability decision. */
  query (query: string, options?: SearchOptions): SearchOutcome
  /** The results of {@link ProcedureSearch.query} alone (empty when the confidence is `none`). */
  search (query: string, options?: SearchOptions): SearchResult[]
  /** Why a query ranks as it does: for tests, tuning and staff teaching the bot. */
  explain (query: string): SearchExplanation
}

/** The analysed query and the top candidates with the evidence behind each. */
export interface SearchExplanation {
  words: string[]
  outOfScope: boolean
  confidence: Confidence
  candidates: Array<{ id: string, score: number, evidence: number, cover: number }>
}
