// Node 20's --test neither globs nor discovers .ts files (a bare `tsx --test` runs 0 tests and exits 0),
// so list the test files here and refuse to pass when there are none.
import { readdirSync } from 'node:fs'
import { spawnSync } from 'node:child_process'

const files = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/${f}`)
  .sort()
if (files.length === 0) {
  console.error('test/run.mjs: no *.test.ts files found under test/')
  process.exit(1)
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...process.argv.slice(2), ...files], {
  stdio: 'inherit',
  env: { ...process.env, TZ: 'UTC' },
})
process.exit(result.status ?? 1)
