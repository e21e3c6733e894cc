import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { MaskEvent } from '../src/events.ts'
import { buildTimeline } from '../src/timeline.ts'

const base = { timeBasis: 'utc', timeZone: null, timeZoneSource: null, timeNote: null, host: 'web1', cursor: null, parser: 't', text: '' } as const
const ev = (timeUs: number | null, path: string, line: number, kind: 'boot' | 'unit-started', unit = 'nginx.service'): MaskEvent =>
  kind === 'boot'
    ? { ...base, timeUs, path, line, kind, bootId: 'b' }
    : { ...base, timeUs, path, line, kind, unit, scope: 'system' }

describe('buildTimeline', () => {
  it('orders by time, then source order; a boot first at a tie; unknown times last', () => {
    const events = [ev(null, 'a', 1, 'unit-started'), ev(20, 'b', 5, 'unit-started'), ev(10, 'a', 9, 'unit-started'), ev(10, 'a', 9, 'boot'), ev(10, 'a', 3, 'unit-started')]
    assert.deepEqual(buildTimeline(events).events.map((e) => `${e.timeUs} ${e.path}:${e.line} ${e.kind}`), [
      '10 a:3 unit-started', '10 a:9 boot', '10 a:9 unit-started', '20 b:5 unit-started', 'null a:1 unit-started',
    ])
  })
  it('filters by unit glob with or without .service, and counts unknown times left out by a time filter', () => {
    const events = [ev(1, 'a', 1, 'unit-started', 'nginx.service'), ev(2, 'a', 2, 'unit-started', 'nginx-exporter.socket'), ev(3, 'a', 3, 'unit-started', 'ssh.service'), ev(null, 'a', 4, 'unit-started')]
    assert.deepEqual(buildTimeline(events, { units: ['nginx'] }).events.map((e) => e.line), [1, 4])
    assert.deepEqual(buildTimeline(events, { units: ['nginx*'] }).events.map((e) => e.line), [1, 2, 4])
    const timed = buildTimeline(events, { sinceUs: 2 })
    assert.deepEqual(timed.events.map((e) => e.line), [2, 3])
    assert.equal(timed.unknownTimeExcluded, 1)
  })
})
