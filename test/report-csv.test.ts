import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { MaskEvent } from '../src/events.ts'
import { CSV_COLUMNS, csvCell, renderTimelineCsv } from '../src/report/csv.ts'
import { maskwhy, REPO } from './helpers/cli.ts'

const base = { timeBasis: 'utc', timeZone: null, timeZoneSource: null, timeNote: null, host: 'web1', cursor: null, parser: 'journal-json', path: 'var/log/j.json' } as const
const started = (line: number, text: string, timeUs: number | null = 1709287333250871): MaskEvent => ({
  ...base, timeUs, line, text, kind: 'unit-started', unit: 'nginx.service', scope: 'system',
})

/** A strict RFC 4180 reader (CRLF records, quoted fields), to check what a consumer gets back. */
function parseCsv(input: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let i = 0
  while (i < input.length) {
    let field = ''
    if (input[i] === '"') {
      i++
      for (;;) {
        const q = input.indexOf('"', i)
        assert.ok(q >= 0, 'unterminated quoted field')
        field += input.slice(i, q)
        if (input[q + 1] === '"') { field += '"'; i = q + 2 } else { i = q + 1; break }
      }
    } else {
      const end = input.slice(i).search(/,|\r\n/)
      assert.ok(end >= 0, 'record not ended by CRLF')
      field = input.slice(i, i + end)
      assert.ok(!/["\r\n]/.test(field), `unquoted field holds a quote, CR or LF: ${JSON.stringify(field)}`)
      i += end
    }
    row.push(field)
    if (input.startsWith(',', i)) i++
    else if (input.startsWith('\r\n', i)) { rows.push(row); row = []; i += 2 }
    else assert.fail(`garbage after field at ${i}`)
  }
  assert.equal(row.length, 0, 'last record not ended by CRLF')
  return rows
}

describe('CSV cells', () => {
  it('neutralises formula injection with a leading single quote', () => {
    assert.equal(csvCell(`=cmd|' /C calc'!A0`), `'=cmd|' /C calc'!A0`)
    assert.equal(csvCell('+SUM(1)'), `'+SUM(1)`)
    assert.equal(csvCell('-2+3'), `'-2+3`)
    assert.equal(csvCell('@foo'), `'@foo`)
    assert.equal(csvCell('\tx'), `'\tx`)
    assert.equal(csvCell('\rx'), `"'\rx"`)
    // Only the first character matters; a formula character later on is plain text.
    assert.equal(csvCell('a=b+c-d@e'), 'a=b+c-d@e')
    assert.equal(csvCell(' =1'), ' =1')
  })
  it('quotes per RFC 4180: commas, quotes (doubled), CR and LF', () => {
    assert.equal(csvCell('plain text'), 'plain text')
    assert.equal(csvCell('a,b'), '"a,b"')
    assert.equal(csvCell('say "hi"'), '"say ""hi"""')
    assert.equal(csvCell('one\ntwo'), '"one\ntwo"')
    assert.equal(csvCell('one\r\ntwo'), '"one\r\ntwo"')
    assert.equal(csvCell('=1,"2"'), `"'=1,""2"""`)
    assert.equal(csvCell(null), '')
    assert.equal(csvCell('héllo → ✓'), 'héllo → ✓')
  })
  it('escapes C0/C1 controls and DEL, but keeps TAB, CR and LF', () => {
    assert.equal(csvCell('a\u001b[2Jb\u0007c\u0000d\u007fe\u009bf'), 'a\\e[2Jb\\x07c\\x00d\\x7fe\\x9bf')
    assert.equal(csvCell('a\tb'), 'a\tb')
    assert.equal(csvCell('a\r\nb'), '"a\r\nb"')
    // An escaped control character first is no longer a formula start, and never becomes one.
    assert.equal(csvCell('\u0001=1'), '\\x01=1')
  })
})

describe('renderTimelineCsv', () => {
  it('writes a header and one CRLF-terminated row per event, round-tripping through an RFC 4180 reader', () => {
    const events = [
      started(1, 'Started nginx.service, "the" web server.'),
      started(2, 'multi\nline\r\ntext'),
      started(3, `=cmd|' /C calc'!A0`),
      started(4, 'no time', null),
    ]
    const csv = renderTimelineCsv(events, 'UTC')
    assert.ok(!csv.startsWith('\ufeff'), 'no BOM')
    assert.ok(csv.endsWith('\r\n'))
    const rows = parseCsv(csv)
    assert.equal(rows.length, 1 + events.length)
    assert.deepEqual(rows[0], [...CSV_COLUMNS])
    assert.deepEqual(rows[1], [
      '2024-03-01T10:02:13.250871Z', 'unit-started', 'web1', 'nginx.service', 'started', 'var/log/j.json:1', '',
      'journal-json', 'utc', '', '', 'Started nginx.service, "the" web server.',
    ])
    assert.equal(rows[2]?.[11], 'multi\nline\r\ntext')
    assert.equal(rows[3]?.[11], `'=cmd|' /C calc'!A0`)
    assert.equal(rows[4]?.[0], 'unknown')
    for (const row of rows) assert.equal(row.length, CSV_COLUMNS.length)
  })
  it('uses the display zone for the time column', () => {
    const rows = parseCsv(renderTimelineCsv([started(1, 'x')], 'Europe/Berlin'))
    assert.equal(rows[1]?.[0], '2024-03-01T11:02:13.250871+01:00')
  })
})

describe('maskwhy timeline --format csv', () => {
  it('prints one row per event plus a header, and the usual summary on stderr', async () => {
    const dir = `${REPO}samples/admin-mask/`
    const run = await maskwhy(['timeline', 'evidence', '--format', 'csv'], { cwd: dir })
    assert.equal(run.exitCode, 0, run.stderr)
    const rows = parseCsv(run.stdout)
    assert.match(run.stderr, /maskwhy: .* (\d+) events kept, (\d+) shown;/)
    const shown = Number(/(\d+) shown;/.exec(run.stderr)?.[1])
    assert.equal(rows.length, 1 + shown)
  })
})
