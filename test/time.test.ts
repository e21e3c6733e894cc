import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { formatInstant, localTimeToUtc, parseInstant, TimeArgumentError } from '../src/time.ts'
import { tzifFooter, zoneFromLinkTarget, zonesMatchingTzif } from '../src/evidence-zone.ts'
import { readFileSync, existsSync } from 'node:fs'

describe('user-supplied times', () => {
  const cases: [string, string, string][] = [
    ['2024-03-01 10:00', 'UTC', '2024-03-01T10:00:00.000000Z'],
    ['2024-03-01 10:00:30', 'Europe/Berlin', '2024-03-01T09:00:30.000000Z'],
    ['2024-03-01T10:00:00Z', 'Europe/Berlin', '2024-03-01T10:00:00.000000Z'],
    ['2024-03-01T10:00:00.123456+05:30', 'UTC', '2024-03-01T04:30:00.123456Z'],
    ['2024-07-01', 'America/New_York', '2024-07-01T04:00:00.000000Z'],
  ]
  for (const [text, zone, expected] of cases) {
    it(`${text} in ${zone}`, () => assert.equal(formatInstant(parseInstant(text, zone)), expected))
  }
  it('rejects what it cannot read', () => {
    assert.throws(() => parseInstant('yesterday', 'UTC'), TimeArgumentError)
    assert.throws(() => parseInstant('2024-13-01', 'UTC'), TimeArgumentError)
  })
  it('formats in another zone with its offset, keeping microseconds', () => {
    assert.equal(formatInstant(1709287320000100, 'Europe/Berlin'), '2024-03-01T11:02:00.000100+01:00')
    assert.equal(formatInstant(null), 'unknown')
  })
})

describe('local times at DST changes are flagged, not shifted silently', () => {
  const berlin = (h: number, m: number, month: number, day: number) => localTimeToUtc({ year: 2024, month, day, hour: h, minute: m, second: 0 }, 'Europe/Berlin')
  it('ordinary', () => assert.deepEqual(berlin(12, 0, 7, 1), { timeUs: Date.UTC(2024, 6, 1, 10) * 1000, problem: null }))
  it('ambiguous (clocks back): the earlier instant', () => assert.deepEqual(berlin(2, 30, 10, 27), { timeUs: Date.UTC(2024, 9, 27, 0, 30) * 1000, problem: 'ambiguous' }))
  it('nonexistent (clocks forward)', () => assert.deepEqual(berlin(2, 30, 3, 31), { timeUs: Date.UTC(2024, 2, 31, 1, 30) * 1000, problem: 'nonexistent' }))
  it('the same second again (reused), in another zone, with other micros: each converted as on its own', () => {
    const wall = { year: 2024, month: 10, day: 27, hour: 2, minute: 30, second: 0 }
    const calls: [typeof wall & { micros?: number }, string][] = [
      [wall, 'Europe/Berlin'],
      [{ ...wall, micros: 250 }, 'Europe/Berlin'],
      [wall, 'America/New_York'],
      [{ ...wall, micros: 7 }, 'Europe/Berlin'],
      [{ ...wall, second: 1 }, 'Europe/Berlin'],
    ]
    const inOrder = calls.map(([w, z]) => localTimeToUtc(w, z))
    const utc0230 = Date.UTC(2024, 9, 27, 0, 30) * 1000
    assert.deepEqual(inOrder, [
      { timeUs: utc0230, problem: 'ambiguous' },
      { timeUs: utc0230 + 250, problem: 'ambiguous' },
      { timeUs: Date.UTC(2024, 9, 27, 6, 30) * 1000, problem: null },
      { timeUs: utc0230 + 7, problem: 'ambiguous' },
      { timeUs: utc0230 + 1_000_000, problem: 'ambiguous' },
    ])
  })
})

describe('evidence zone', () => {
  it('reads the zone from an etc/localtime link target', () => {
    assert.equal(zoneFromLinkTarget('/usr/share/zoneinfo/Europe/Berlin'), 'Europe/Berlin')
    assert.equal(zoneFromLinkTarget('../usr/share/zoneinfo/UTC'), 'UTC')
    assert.equal(zoneFromLinkTarget('/usr/share/zoneinfo/posix/Asia/Tokyo'), 'Asia/Tokyo')
    assert.equal(zoneFromLinkTarget('/etc/nowhere'), null)
  })
  it('identifies a copied TZif file by content', async (t) => {
    const berlin = '/usr/share/zoneinfo/Europe/Berlin'
    if (!existsSync(berlin)) return t.skip('no tzdata on this machine')
    const data = readFileSync(berlin)
    assert.equal(tzifFooter(data), 'CET-1CEST,M3.5.0,M10.5.0/3')
    assert.ok((await zonesMatchingTzif(data)).includes('Europe/Berlin'))
  })
})
