// `npm run staff:add -- <username> [--role officer|admin]`: creates a console account or resets its
// password and role. The password is read from stdin when stdin is not a terminal (first line), and
// prompted for (without echo) otherwise. Uses the configured database (DATA_DIR / DATABASE_URL).
import { createInterface } from 'node:readline'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/connect.ts'
import { createAttemptStore } from '../src/db/attempt-store.ts'
import { createAuditStore } from '../src/db/dossier-store.ts'
import { createStaffStore } from '../src/db/staff-store.ts'
import { createStaffAccounts, STAFF_ROLES, type StaffRole } from '../src/staff/accounts.ts'

function usage (message: string): never {
  process.stderr.write(`${message}\nusage: npm run staff:add -- <username> [--role officer|admin]   (password on stdin or prompted)\n`)
  process.exit(2)
}

async function readPassword (): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = []
    for await (const c of process.stdin) chunks.push(c as Buffer)
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? ''
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true })
  const ask = (q: string): Promise<string> => new Promise((resolve) => {
    process.stdout.write(q)
    const write = rl as unknown as { _writeToOutput: (s: string) => void }
    const original = write._writeToOutput
    write._writeToOutput = (s: string) => { if (s.includes('\n')) original.call(rl, '\n') }
    rl.question('', (a) => { write._writeToOutput = original; resolve(a) })
  })
  const first = await ask('Mật khẩu: ')
  const second = await ask('Nhập lại mật khẩu: ')
  rl.close()
  if (first !== second) usage('Passwords differ')
  return first
}

const args = process.argv.slice(2)
const roleAt = args.indexOf('--role')
const role = (roleAt >= 0 ? args[roleAt + 1] : 'officer') as StaffRole
const username = args.find((a, i) => !a.startsWith('--') && (roleAt < 0 || i !== roleAt + 1))
if (username === undefined) usage('Missing username')
if (!STAFF_ROLES.includes(role)) usage('Role must be officer or admin')

const password = await readPassword()
const config = loadConfig(process.env)
const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl })
try {
  const accounts = createStaffAccounts({ store: createStaffStore(db), attempts: createAttemptStore(db), audit: createAuditStore(db) })
  const created = await accounts.put(username.toLowerCase(), password, role, 'cli')
  process.stdout.write(`${created ? 'Created' : 'Reset'} ${role} account ${username.toLowerCase()} in ${db.description}\n`)
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`)
  process.exitCode = 1
} finally {
  await db.close()
}
