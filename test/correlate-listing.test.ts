// The correlator and systemctl list-unit-files (a sosreport's listing): where it decides the state, where
// the copied unit directories do, and the conflicts between them.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { explainMasking } from '../src/correlate/explain.ts'
import type { UnitFileState } from '../src/events.ts'
import { Story } from './helpers/events.ts'

const LISTING = 'sos_commands/systemd/systemctl_list-unit-files'

function listed(unit: string, state: string, line = 7): UnitFileState {
  return {
    kind: 'unit-file-state', unit, state, preset: 'enabled',
    timeUs: null, timeBasis: 'unknown', timeZone: null, timeZoneSource: null, timeNote: 'state when listed',
    host: null, path: LISTING, line, cursor: null, parser: 'systemctl-list-unit-files', text: `${unit}  ${state}  enabled`,
  }
}

const noUnitDirectories = { hasFilesystem: false, files: [], helperMasked: [], dependencies: [] }
const vendorFile = { kind: 'unit-file' as const, linkTarget: null, layer: 'vendor', masked: false }

describe('correlator: systemctl list-unit-files as the state when the copy cannot say', () => {
  it('a mask only the listing knows (no unit directories, no log): masked, cause unknown, the listing line cited', () => {
    const [x] = explainMasking([listed('nginx.service', 'masked')], noUnitDirectories)
    assert.deepEqual([x?.unit, x?.state, x?.stateFrom, x?.path, x?.cause, x?.confidence, x?.maskedAtUs], ['nginx.service', 'masked', 'listing', null, 'unknown', 'low', null])
    assert.match(x!.confidenceReason, /^masked, known from systemctl list-unit-files when the evidence was collected \(sos_commands\/systemd\/systemctl_list-unit-files:7\); the copy has no unit file for it/)
    assert.deepEqual(x!.evidence.map((e) => `${e.path}:${e.line} ${e.role}`), [`${LISTING}:7 systemctl list-unit-files said "masked" when the evidence was collected`])
    assert.deepEqual(x!.conflicts, [])
    assert.match(x!.summary, /per systemctl list-unit-files when the evidence was collected; the mask itself is not in the copy/)
  })

  it('"masked-runtime" in the listing alone: a runtime mask, medium confidence', () => {
    const [x] = explainMasking([listed('cups.service', 'masked-runtime')], null)
    assert.deepEqual([x?.state, x?.stateFrom, x?.cause, x?.confidence], ['masked-runtime', 'listing', 'runtime-mask', 'medium'])
  })

  it('the logs still name who masked it: admin-command, with the listing line first and the sudo record', () => {
    const story = new Story().admin(10, 'mask', 'nginx.service')
    const [x] = explainMasking([...story.events, listed('nginx.service', 'masked')], noUnitDirectories)
    assert.deepEqual([x?.state, x?.stateFrom, x?.cause, x?.confidence, x?.actor], ['masked', 'listing', 'admin-command', 'high', 'alice (as root) via sudo on pts/0'])
    assert.deepEqual(x!.evidence.map((e) => e.path), [LISTING, 'journal.json'])
  })

  it('the copy has only the vendor unit file: the mask is in a directory the copy lacks, the listing decides and says so', () => {
    const story = new Story().onDisk('nginx.service', { ...vendorFile, path: 'lib/systemd/system/nginx.service' })
    const [x] = explainMasking([listed('nginx.service', 'masked')], story.fs())
    assert.deepEqual([x?.state, x?.stateFrom, x?.cause], ['masked', 'listing', 'unknown'])
    assert.match(x!.confidenceReason, /the copy has only lib\/systemd\/system\/nginx\.service, not the mask/)
    assert.deepEqual(x!.conflicts, [
      `systemctl list-unit-files (${LISTING}:7) says "masked", but the copied unit directories hold only lib/systemd/system/nginx.service (not a mask): the mask sits in a directory the copy lacks; the listing decides`,
    ])
  })

  it('unit directories that hold no file for the unit: the listing decides', () => {
    const story = new Story().onDisk('other.service')
    const xs = explainMasking([listed('nginx.service', 'masked')], story.fs())
    const x = xs.find((u) => u.unit === 'nginx.service')
    assert.deepEqual([x?.state, x?.stateFrom, x?.conflicts], ['masked', 'listing', []])
  })
})

describe('correlator: the copied unit directories and the listing together', () => {
  it('both say masked: the filesystem decides, the listing is cited after the link and adds no conflict', () => {
    const story = new Story().onDisk('nginx.service')
    const [x] = explainMasking([listed('nginx.service', 'masked')], story.fs())
    assert.deepEqual([x?.state, x?.stateFrom, x?.path, x?.cause, x?.conflicts], ['masked', 'filesystem', 'etc/systemd/system/nginx.service', 'unknown', []])
    assert.deepEqual(x!.evidence.map((e) => e.path), ['etc/systemd/system/nginx.service', LISTING])
  })

  it('masked on disk, "enabled" in the listing: the filesystem wins, the conflict names both', () => {
    const story = new Story().onDisk('nginx.service')
    const [x] = explainMasking([listed('nginx.service', 'enabled')], story.fs())
    assert.deepEqual([x?.state, x?.stateFrom], ['masked', 'filesystem'])
    assert.deepEqual(x!.conflicts, [
      `the copied filesystem shows etc/systemd/system/nginx.service, but systemctl list-unit-files (${LISTING}:7) says "enabled": unmasked between the copy and the listing, or the listing comes from another machine; the filesystem wins (it can be cited)`,
    ])
  })

  it('"masked" in the listing, an admin unit file on disk where the mask would be: not masked, the conflict says why', () => {
    const story = new Story().onDisk('nginx.service', { kind: 'unit-file', linkTarget: null, masked: false })
    const [x] = explainMasking([listed('nginx.service', 'masked')], story.fs())
    assert.deepEqual([x?.state, x?.stateFrom, x?.cause], ['not-masked', 'filesystem', null])
    assert.match(x!.conflicts[0]!, /says "masked", but the copied filesystem has etc\/systemd\/system\/nginx\.service, not masked, where a mask would show/)
  })

  it('a logged mask, but the listing says "disabled" (no unit directories): not masked now, the listing wins', () => {
    const story = new Story().admin(10, 'mask', 'nginx.service')
    const [x] = explainMasking([...story.events, listed('nginx.service', 'disabled')], noUnitDirectories)
    assert.deepEqual([x?.state, x?.stateFrom, x?.cause], ['not-masked', 'listing', null])
    assert.deepEqual(x!.conflicts, [
      `the last logged change is a mask (journal.json:1), but systemctl list-unit-files (${LISTING}:7) says "disabled": unmasked later without a trace in these logs; the listing wins (it is the state when collected)`,
    ])
  })

  it('listed units that are not masked are not explained unless asked for', () => {
    const events = [listed('ssh.service', 'enabled', 3), listed('nginx.service', 'masked', 4)]
    assert.deepEqual(explainMasking(events, noUnitDirectories).map((x) => x.unit), ['nginx.service'])
    const asked = explainMasking(events, noUnitDirectories, { alsoExplain: ['ssh.service'] }).find((x) => x.unit === 'ssh.service')
    assert.deepEqual([asked?.state, asked?.stateFrom], ['not-masked', 'listing'])
  })
})
