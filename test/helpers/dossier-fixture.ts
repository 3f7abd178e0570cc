import type { Dossier } from '../../src/dossiers/types.ts'

/** The i-th test dossier code of 2 March 2026 (`000.00.04.H51-260302-0001` …). */
export const dossierCode = (i: number): string => `000.00.04.H51-260302-${String(i).padStart(4, '0')}`

/** A stored dossier as the stores keep it: received Monday 2 March 2026 09:00, due 5 March. */
export const storedDossier = (code: string, status: Dossier['status'] = 2, subscribers: Dossier['subscribers'] = []): Dossier => ({
  code,
  procedureId: 'dang-ky-tam-tru',
  applicantName: 'Nguyễn Văn An',
  phone: '0912345678',
  receivedAt: '2026-03-02T09:00:00+07:00',
  dueAt: '2026-03-05T09:00:00+07:00',
  status,
  history: [{ at: '2026-03-02T09:00:00+07:00', status }],
  missingDocuments: [],
  lookupCode: 'K7M2QX',
  subscribers,
  updatedAt: '2026-03-02T09:00:00+07:00',
})
