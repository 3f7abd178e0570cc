import type { FeaturePlugin } from '../services.ts'
import type { StaffConsole } from './setup.ts'
import { staffSessionRoutes } from './routes.ts'

/** The staff console feature: sign-in API (and, later, its pages). */
export function createStaffPlugin (staff: StaffConsole): FeaturePlugin {
  return {
    name: 'staff',
    register: async (app, opts) => {
      await app.register(staffSessionRoutes(staff.accounts), opts)
    },
  }
}
