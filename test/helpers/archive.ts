/** Tar archives for tests, made with the real GNU tar in a temporary directory outside the repository. */
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'

export const scratch = (label: string): string => mkdtempSync(join(tmpdir(), `maskwhy-${label}-`))

export function tar(args: string[], cwd?: string): string {
  return execFileSync('tar', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

/**
 * A copy of `evidence` (links and mtimes kept) with names only long-name tar formats can store: a
 * log under a 120-character directory, a mask whose own name is over 100 characters and a mask
 * whose link target is.
 */
export function withLongNames(evidence: string, into: string): string {
  const copy = join(into, 'evidence')
  cpSync(evidence, copy, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true })
  const deep = join(copy, 'var/log', 'd'.repeat(120))
  mkdirSync(deep, { recursive: true })
  const reload = { __CURSOR: 's=feedfacefeedface;i=1', __REALTIME_TIMESTAMP: '1709280000000000', _PID: '1', _HOSTNAME: 'web1', MESSAGE: 'Reloading.' }
  writeFileSync(join(deep, 'reload.json'), `${JSON.stringify(reload)}\n`)
  const units = join(copy, 'etc/systemd/system')
  mkdirSync(units, { recursive: true })
  symlinkSync('/dev/null', join(units, `long-${'m'.repeat(110)}.service`))
  symlinkSync(`/${'./'.repeat(60)}dev/null`, join(units, 'longtarget.service'))
  return copy
}

export interface Variant {
  name: string
  /** Archive file name (its suffix need not say what it is). */
  file: string
  /** tar options before `-f`: format, compression, owner. */
  options: string[]
  /** Top-level folder the evidence sits in inside the archive, or null for none. */
  folder: string | null
  /** Store names as `./etc/…` (tar -C dir .) rather than `etc/…`. */
  dotNames?: boolean
}

export const VARIANTS: readonly Variant[] = [
  { name: 'tar.gz, GNU format, one top-level folder', file: 'evidence.tar.gz', options: ['--format=gnu', '-z'], folder: 'evidence' },
  { name: 'tar.xz, pax format, ./ names', file: 'evidence.tar.xz', options: ['--format=pax', '-J'], folder: null, dotNames: true },
  { name: 'plain tar, GNU format, --numeric-owner', file: 'evidence.tar', options: ['--format=gnu', '--numeric-owner'], folder: null },
  { name: 'tar.gz named .bin, pax format, sosreport-style folder', file: 'evidence.bin', options: ['--format=pax', '-z'], folder: 'sosreport-web1-2024-03-01-xkqzpwn' },
]

/** Packs `dir` into `into/<variant.file>` (under `variant.folder`, or at the top); returns the archive path. */
export function packAs(dir: string, variant: Variant, into: string): string {
  const archive = join(into, variant.file)
  if (variant.folder === null) {
    const members = variant.dotNames ? ['.'] : readdirSync(dir).sort()
    tar([...variant.options, '-cf', archive, '-C', dir, ...members])
  } else {
    // the folder name replaces the directory's own name; symlink targets are left alone (S)
    tar([...variant.options, '-cf', archive, '-C', dirname(dir), `--transform=s,^${basename(dir)},${variant.folder},S`, basename(dir)])
  }
  return archive
}

/** Extracts an archive with the real tar (compression detected by content); returns the evidence root. */
export function extract(archive: string, variant: Variant, into: string): string {
  tar(['-xf', archive, '-C', into])
  return variant.folder === null ? into : join(into, variant.folder)
}
