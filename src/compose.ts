import type { Config } from './config.ts'
import type { Services } from './services.ts'
import { loadCatalogue } from './catalogue/load.ts'
import { createProcedureSearch } from './catalogue/search.ts'
import { loadLexicon } from './catalogue/lexicon.ts'

/** Builds every long-lived service from the configuration (used by main.ts and end-to-end tests). */
export async function createServices (config: Config): Promise<Services> {
  const catalogue = loadCatalogue(config.catalogueDir)
  const lexicon = loadLexicon(config.catalogueDir)
  const search = createProcedureSearch(catalogue.procedures, lexicon)
  return { catalogue, search, plugins: [], closers: [] }
}
