import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, existsSync } from 'node:fs'
import dnfLog from '../../parsers/dnf-log.ts'
import dnfRpmLog from '../../parsers/dnf-rpm-log.ts'
import dnf5Log from '../../parsers/dnf5-log.ts'
import yumLog from '../../parsers/yum-log.ts'
import { SHARED } from '../helpers/parse.ts'

const FIXTURES = new URL('../fixtures/dnf/', import.meta.url).pathname
const RHEL8 = `${SHARED}corpus/public/rhel8-ec2-rootfs/var/log/`
const head = (f: string): string => readFileSync(f).subarray(0, 64 * 1024).toString('utf8')
const MINE = { 'dnf-log': dnfLog, 'dnf-rpm-log': dnfRpmLog, 'dnf5-log': dnf5Log, 'yum-log': yumLog }

const CASES: { file: string; expect: keyof typeof MINE | null }[] = [
  { file: `${FIXTURES}real/dnf.log`, expect: 'dnf-log' },
  { file: `${FIXTURES}real/dnf.rpm.log`, expect: 'dnf-rpm-log' },
  { file: `${FIXTURES}real/dnf.librepo.log`, expect: null },
  { file: `${FIXTURES}real/hawkey.log`, expect: null },
  { file: `${FIXTURES}dnf5.log`, expect: 'dnf5-log' },
  { file: `${FIXTURES}yum.log-20200601`, expect: 'yum-log' },
  { file: `${RHEL8}dnf.log`, expect: 'dnf-log' },
  { file: `${RHEL8}dnf.rpm.log`, expect: 'dnf-rpm-log' },
  { file: `${RHEL8}dnf.librepo.log`, expect: null },
  { file: `${RHEL8}hawkey.log`, expect: null },
  { file: `${SHARED}corpus/public/rhel7-rootfs/var/log/yum.log`, expect: 'yum-log' },
]

for (const c of CASES) {
  test(`detect ${c.file.replace(SHARED, '<shared>/').replace(FIXTURES, '<fixtures>/')} → ${c.expect ?? 'none of the dnf/yum parsers'}`, { skip: existsSync(c.file) ? false : `absent: ${c.file}` }, () => {
    const text = head(c.file)
    const claimed = Object.entries(MINE).filter(([, p]) => p.detect(text)).map(([n]) => n)
    assert.deepEqual(claimed, c.expect === null ? [] : [c.expect])
  })
}

test('paths route each file name to one parser', () => {
  const route = (p: string): string[] => Object.entries(MINE).filter(([, x]) => x.paths.some((re) => re.test(p))).map(([n]) => n)
  assert.deepEqual(route('var/log/dnf.log'), ['dnf-log'])
  assert.deepEqual(route('var/log/dnf.rpm.log'), ['dnf-rpm-log'])
  assert.deepEqual(route('var/log/dnf5.log'), ['dnf5-log'])
  assert.deepEqual(route('var/log/yum.log'), ['yum-log'])
  assert.deepEqual(route('var/log/dnf.librepo.log'), [])
  assert.deepEqual(route('var/log/hawkey.log'), [])
})
