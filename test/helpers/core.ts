import { loadCatalogue, type Catalogue } from '../../src/catalogue/load.ts'
import { loadLexicon } from '../../src/catalogue/lexicon.ts'
import { createProcedureSearch } from '../../src/catalogue/search.ts'
import type { ProcedureSearch } from '../../src/catalogue/types.ts'
import { createConversation } from '../../src/conversation/core.ts'
import type { CoreDeps } from '../../src/conversation/context.ts'
import { createMemoryStateStore } from '../../src/conversation/state.ts'
import { createMemoryUnansweredLog } from '../../src/conversation/unanswered.ts'
import type { ConversationCore } from '../../src/conversation/types.ts'

let shared: { catalogue: Catalogue, search: ProcedureSearch } | undefined
/** The shipped catalogue and its search engine, built once per test file. */
export function realSearch (): { catalogue: Catalogue, search: ProcedureSearch } {
  if (shared === undefined) {
    const catalogue = loadCatalogue('data')
    shared = { catalogue, search: createProcedureSearch(catalogue.procedures, loadLexicon('data')) }
  }
  return shared
}

/** A conversation core over the real catalogue with in-memory state and log, on clock `now`. */
export function testCore (now: () => number, more: Partial<CoreDeps> = {}): ConversationCore {
  return createConversation({ ...realSearch(), states: createMemoryStateStore(now), unanswered: createMemoryUnansweredLog(now), now, ...more })
}
