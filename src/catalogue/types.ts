/** One search hit: the public shape used by the CLI, the HTTP API and the conversation. */
export interface SearchResult {
  id: string
  code: string | null
  title: string
  /** Relevance in [0, 1]; higher is better. Only results above the relevance floor are returned. */
  score: number
}

export interface SearchOptions {
  limit?: number
}

/** The procedure search engine built over the catalogue. */
export interface ProcedureSearch {
  search (query: string, options?: SearchOptions): SearchResult[]
}
