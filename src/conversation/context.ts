import type { Catalogue } from '../catalogue/load.ts'
import type { Procedure } from '../catalogue/schema.ts'
import type { ProcedureSearch } from '../catalogue/types.ts'
import type { ConversationState, StateStore } from './state.ts'
import type { UnansweredLog } from './unanswered.ts'
import type { InboundMessage, Reply } from './types.ts'
import { procedureKey } from './keys.ts'

/** Who is asking, as the dossier feature needs it (subscriptions, rate limits). */
export interface Requester {
  channel: InboundMessage['channel']
  userId: string
  /** See InboundMessage.clientAddress. */
  clientAddress?: string
}

/**
 * What the dialogue needs from the dossier feature. Implemented in src/dossiers; absent until that
 * feature is wired, in which case the bot says honestly that dossier lookup is not available.
 */
export interface DossierPort {
  /** A normalised dossier code found anywhere in the text, or null. */
  findCode (text: string): string | null
  lookup (code: string, who: Requester, state: ConversationState): Promise<Reply[]>
  askFactor (code: string, state: ConversationState): Promise<Reply[]>
  verify (code: string, factor: string, who: Requester, state: ConversationState): Promise<Reply[]>
  subscribe (code: string, who: Requester, on: boolean): Promise<Reply[]>
  /** Agreement to Zalo template messages after the 7-day window (button `dz:<code>`). */
  consent (code: string, who: Requester): Promise<Reply[]>
  /** "hủy thông báo" without a code: stops every subscription of the user (and the dossier in view). */
  unsubscribeAll (who: Requester, state: ConversationState): Promise<Reply[]>
}

/** Long-lived dependencies of the conversation core. */
export interface CoreDeps {
  catalogue: Catalogue
  search: ProcedureSearch
  states: StateStore
  unanswered: UnansweredLog
  dossiers?: DossierPort
  now?: () => number
}

/** Everything one handler sees for one message; handlers may change `state`. */
export interface Ctx {
  msg: InboundMessage
  state: ConversationState
  deps: CoreDeps
  byKey: ReadonlyMap<string, Procedure>
}

/** Index of procedures by their button key (and id), built once per core. */
export function keyIndex (procedures: readonly Procedure[]): Map<string, Procedure> {
  const m = new Map<string, Procedure>()
  for (const p of procedures) { m.set(p.id, p); m.set(procedureKey(p.id), p) }
  return m
}
