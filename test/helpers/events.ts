/** A small builder of events and unit-directory state for correlator tests (no files). */
import type { AdminCommand, EventBase, MaskEvent, PackageAction, PackageTransaction, UnitMasked } from '../../src/events.ts'
import type { FsEntry, FsState } from '../../src/correlate/explain.ts'

export const T0 = Date.UTC(2024, 2, 1, 10, 0, 0) * 1000
const at = (seconds: number): number => T0 + seconds * 1_000_000

function base(path: string, line: number, seconds: number | null, text: string): EventBase {
  return {
    timeUs: seconds === null ? null : at(seconds),
    timeBasis: seconds === null ? 'unknown' : 'utc',
    timeZone: null,
    timeZoneSource: null,
    timeNote: null,
    host: 'web1',
    path,
    line,
    cursor: null,
    parser: 'test',
    text,
  }
}

export class Story {
  readonly events: MaskEvent[] = []
  readonly files: FsEntry[] = []
  readonly helperMasked: FsState['helperMasked'][number][] = []
  readonly dependencies: FsState['dependencies'][number][] = []
  #line = 0

  admin(seconds: number, verb: string, unit: string, o: Partial<AdminCommand> = {}): this {
    const command = `/usr/bin/systemctl ${verb} ${unit}`
    this.events.push({
      ...base('journal.json', ++this.#line, seconds, `alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=${command}`),
      kind: 'admin-command', via: 'sudo', actor: 'alice', runAs: 'root', tty: 'pts/0', session: null,
      command, verb, units: [unit], flags: [], succeeded: true, ...o,
    })
    return this
  }

  linkMessage(seconds: number | null, unit: string, o: Partial<UnitMasked> & { path?: string } = {}): this {
    const linkPath = `/etc/systemd/system/${unit}`
    this.events.push({
      ...base(o.path ?? 'var/log/apt/term.log', ++this.#line, seconds, `Created symlink ${linkPath} → /dev/null.`),
      kind: 'unit-masked', unit, form: 'helper', linkPath, runtime: false, actorComm: null, actorUnit: null,
      package: null, transactionId: null, ...o,
    })
    return this
  }

  transaction(seconds: number, id: string, outcome: PackageTransaction['outcome'], tool = 'apt'): this {
    this.events.push({
      ...base('var/log/apt/history.log', ++this.#line, seconds, `Start-Date: ${id}`),
      kind: 'package-transaction', tool, transactionId: id, commandLine: 'apt-get remove webcache', actor: 'ops',
      outcome, outcomeReason: outcome === 'interrupted' ? 'no End-Date' : 'End-Date present', endUs: outcome === 'interrupted' ? null : at(seconds + 5),
    })
    return this
  }

  action(seconds: number, id: string, pkg: string, action: PackageAction['action'], path = 'var/log/apt/term.log'): this {
    this.events.push({
      ...base(path, ++this.#line, seconds, `Removing ${pkg} (1.0) ...`),
      kind: 'package-action', tool: 'apt', transactionId: id, package: pkg, arch: null, action, fromVersion: '1.0', toVersion: null, state: null,
    })
    return this
  }

  owner(pkg: string, unitPath: string): this {
    this.events.push({ ...base(`var/lib/dpkg/info/${pkg}.list`, 1, null, unitPath), kind: 'unit-file-owner', tool: 'dpkg', package: pkg, unit: unitPath.split('/').pop()!, unitPath })
    return this
  }

  removedNotPurged(pkg: string): this {
    this.events.push({ ...base('var/log/dpkg.log', ++this.#line, 100, `remove ${pkg}`), kind: 'package-note', tool: 'dpkg', note: 'removed-not-purged', package: pkg, transactionId: null })
    return this
  }

  onDisk(unit: string, o: Partial<FsEntry> = {}): this {
    const layer = o.layer ?? 'admin'
    const dir = { admin: 'etc/systemd/system', runtime: 'run/systemd/system', vendor: 'lib/systemd/system' }[layer] ?? 'etc/systemd/system'
    this.files.push({ unit, path: `${dir}/${unit}`, scope: 'system', layer, kind: 'masked-link', linkTarget: '/dev/null', mtimeUs: null, effective: true, ...o })
    return this
  }

  fs(): FsState {
    return { hasFilesystem: true, files: this.files, helperMasked: this.helperMasked, dependencies: this.dependencies }
  }
}
