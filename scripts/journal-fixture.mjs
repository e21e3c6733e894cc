#!/usr/bin/env node
// Builds genuine journalctl output from a scenario: scenario → Journal Export Format → systemd-journal-remote
// (a real binary journal) → journalctl --file … -o json / json-seq / json-pretty / export.
// Needs Debian's systemd-journal-remote (apt-get install systemd-journal-remote). Used only to (re)make fixtures.
//
//   node scripts/journal-fixture.mjs SCENARIO.mjs OUT_DIR [formats…]     (formats default: json)
//
// SCENARIO.mjs exports `host`, `machineId`, `boots` ({ name: bootId }) and `entries`:
//   [{ at: '2024-03-01T10:00:00.123456Z', boot: 'first', fields: { MESSAGE: '…', _PID: '1', … } }, …]
// A field value may be a string, a Buffer (raw bytes), or an array of those (a repeated field).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const [scenarioPath, outDir, ...formats] = process.argv.slice(2)
if (!scenarioPath || !outDir) {
  console.error('usage: journal-fixture.mjs SCENARIO.mjs OUT_DIR [json json-seq json-pretty export]')
  process.exit(2)
}
const scenario = await import(pathToFileURL(resolve(scenarioPath)).href)

function micros(iso) {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?Z$/.exec(iso)
  if (!m) throw new Error(`bad time ${iso}`)
  return BigInt(Date.parse(`${m[1]}Z`)) * 1000n + BigInt((m[2] ?? '').padEnd(6, '0'))
}

// Export format: NAME=value\n for plain text; NAME\n<u64 LE length><bytes>\n for anything with
// control characters (other than TAB) or invalid UTF-8 (systemd docs/JOURNAL_EXPORT_FORMATS.md).
function field(name, value) {
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8')
  const plain = !Buffer.isBuffer(value) && !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)
  if (plain) return Buffer.from(`${name}=${value}\n`, 'utf8')
  const len = Buffer.alloc(8)
  len.writeBigUInt64LE(BigInt(bytes.length))
  return Buffer.concat([Buffer.from(`${name}\n`), len, bytes, Buffer.from('\n')])
}

const parts = []
const bootStart = new Map()
for (const entry of scenario.entries) {
  const t = micros(entry.at)
  const bootId = scenario.boots[entry.boot]
  if (!bootStart.has(bootId)) bootStart.set(bootId, t - 5_000_000n)
  const meta = {
    __REALTIME_TIMESTAMP: String(t),
    __MONOTONIC_TIMESTAMP: String(t - bootStart.get(bootId)),
    _BOOT_ID: bootId,
    _MACHINE_ID: scenario.machineId,
    _HOSTNAME: scenario.host,
  }
  for (const [k, v] of Object.entries({ ...meta, ...entry.fields })) {
    for (const one of Array.isArray(v) ? v : [v]) parts.push(field(k, one))
  }
  parts.push(Buffer.from('\n'))
}

const work = mkdtempSync(join(tmpdir(), 'journal-fixture-'))
try {
  writeFileSync(join(work, 'in.export'), Buffer.concat(parts))
  const journal = join(work, 'fixture.journal')
  execFileSync('/lib/systemd/systemd-journal-remote', [`--output=${journal}`, join(work, 'in.export')], { stdio: 'ignore' })
  for (const format of formats.length > 0 ? formats : ['json']) {
    const out = execFileSync('journalctl', ['--file', journal, '-o', format], { maxBuffer: 1 << 28 })
    const name = { json: 'journal.json', 'json-seq': 'journal.json-seq', 'json-pretty': 'journal.pretty.json', export: 'journal.export' }[format]
    writeFileSync(join(outDir, name), out)
    console.log(`${join(outDir, name)}: ${out.length} bytes`)
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
