import type { FeaturePlugin } from '../services.ts'
import { staffDossierRoutes, type StaffDossierDeps } from './dossier-api.ts'
import { staffNotificationRoutes } from './notifications-api.ts'
import type { TemplateUsageView } from '../outbox/notice.ts'
import { staffPages } from './pages.ts'
import type { StaffConsole } from './setup.ts'
import { staffSessionRoutes } from './routes.ts'
import { teachRoutes } from './teach-routes.ts'

/** The staff console feature: sign-in API, dossier reads, console pages, slips and posters. */
export function createStaffPlugin (staff: StaffConsole, dossiers: StaffDossierDeps & { templateUsage?: () => Promise<TemplateUsageView> }): FeaturePlugin {
  return {
    name: 'staff',
    register: async (app, opts) => {
      await app.register(staffSessionRoutes(staff.accounts), opts)
      await app.register(staffDossierRoutes(dossiers), opts)
      await app.register(staffNotificationRoutes({ outbox: dossiers.outbox, store: dossiers.store, catalogue: dossiers.catalogue, templateUsage: dossiers.templateUsage }), opts)
      await app.register(staffPages(dossiers), opts)
      await app.register(teachRoutes({ store: staff.store, catalogue: dossiers.catalogue, unanswered: opts.services.unanswered, audit: staff.audit, aliases: staff.aliases, now: dossiers.now }), opts)
    },
  }
}
