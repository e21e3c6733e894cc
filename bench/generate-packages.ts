/**
 * Realistic package-manager logs for the benchmark, laid out like a copied machine: a Debian host's
 * `var/log/apt/history.log`, `var/log/apt/term.log` and `var/log/dpkg.log`, or an EL host's
 * `var/log/dnf.log` and `var/log/dnf.rpm.log`. Seeded, so the same bytes everywhere.
 *
 * Grammars as ../shared/FORMATS.md §5c, §6 and §7a give them (apt's `%F  %T` local times, term.log's CRLF
 * and bare-CR progress, dpkg.log's startup/action/status lines, dnf's `%Y-%m-%dT%H:%M:%S%z` records and
 * multi-line transaction table, dnf.rpm.log's `SUBDEBUG Upgrade:`/`Upgraded:` pairs and scriptlet output).
 * Mostly routine upgrades, installs and removals; about one transaction in 400 has a package script that
 * masks a unit (`Created symlink … → /dev/null.`), one in 300 a failing maintainer script.
 *
 *   npx tsx bench/generate-packages.ts OUT_DIR --mb 100 --seed 1 --family debian|el
 */
import { once } from 'node:events'
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { dirname, join } from 'node:path'
import { Random } from './random.ts'

export type PackageFamily = 'debian' | 'el'

export interface PackageLogOptions {
  /** Total size to reach, in bytes, over all files. */
  bytes: number
  seed: number
  family: PackageFamily
}

const PACKAGES = [
  'libc6', 'libssl3', 'openssl', 'systemd', 'libsystemd0', 'udev', 'nginx', 'nginx-common', 'openssh-server',
  'openssh-client', 'curl', 'libcurl4', 'tzdata', 'ca-certificates', 'python3.11', 'libpython3.11-stdlib',
  'linux-image-amd64', 'firmware-linux-free', 'bind9-libs', 'rsyslog', 'cron', 'logrotate', 'apparmor',
  'libgnutls30', 'libxml2', 'postgresql-15', 'postgresql-client-15', 'redis-server', 'docker-ce',
  'containerd.io', 'unattended-upgrades', 'chrony', 'sudo', 'git', 'vim', 'less', 'man-db', 'dbus',
  'libnss-systemd', 'libpam-systemd', 'netplan.io', 'snapd', 'cups', 'avahi-daemon', 'rpcbind', 'nfs-common',
]
// Packages that ship a service: their scripts print `Created symlink` when they are enabled.
const SERVICES: Record<string, string> = {
  nginx: 'nginx.service', 'openssh-server': 'ssh.service', rsyslog: 'rsyslog.service', cron: 'cron.service',
  'redis-server': 'redis-server.service', 'docker-ce': 'docker.service', chrony: 'chrony.service',
  cups: 'cups.service', 'avahi-daemon': 'avahi-daemon.service', rpcbind: 'rpcbind.service',
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')
/** Local wall time as apt writes it (`%F  %T`, two spaces) or dpkg (`%F %T`); the generator's zone is UTC. */
const wall = (ms: number, sep: string): string => {
  const d = new Date(ms)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}${sep}${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
}
const dnfTime = (ms: number): string => `${wall(ms, 'T')}+0000`

function version(r: Random): string {
  const epoch = r.chance(0.1) ? `${r.int(1, 3)}:` : ''
  return `${epoch}${r.int(0, 12)}.${r.int(0, 40)}.${r.int(0, 20)}-${r.int(1, 9)}${r.chance(0.3) ? `+deb12u${r.int(1, 9)}` : ''}`
}

/** Writes through a few MiB of buffered text per file. */
class Out {
  readonly #stream: WriteStream
  #pending: string[] = []
  #size = 0
  written = 0

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true })
    this.#stream = createWriteStream(path)
  }

  async add(text: string): Promise<void> {
    this.#pending.push(text)
    this.#size += text.length
    this.written += Buffer.byteLength(text)
    if (this.#size >= 4 * 1024 * 1024) await this.flush()
  }

  async flush(): Promise<void> {
    if (this.#pending.length === 0) return
    const ok = this.#stream.write(this.#pending.join(''))
    this.#pending = []
    this.#size = 0
    if (!ok) await once(this.#stream, 'drain')
  }

  async close(): Promise<void> {
    await this.flush()
    this.#stream.end()
    await once(this.#stream, 'finish')
  }
}

interface Change {
  name: string
  old: string | null
  next: string | null
}

function pickChanges(r: Random, count: number, kind: 'upgrade' | 'install' | 'remove'): Change[] {
  const names = new Set<string>()
  while (names.size < count) names.add(r.pick(PACKAGES))
  return [...names].map((name) => {
    const old = kind === 'install' ? null : version(r)
    // an upgrade raises the Debian revision (a point release or a security fix)
    const next = kind === 'remove' ? null : old === null ? version(r) : old.replace(/-(\d+)/, (_, rev: string) => `-${Number(rev) + 1}`)
    return { name, old, next }
  })
}

async function debian(root: string, options: PackageLogOptions, r: Random): Promise<string[]> {
  const files = { history: join(root, 'var/log/apt/history.log'), term: join(root, 'var/log/apt/term.log'), dpkg: join(root, 'var/log/dpkg.log') }
  const history = new Out(files.history)
  const term = new Out(files.term)
  const dpkg = new Out(files.dpkg)
  let t = Date.UTC(2024, 0, 2, 6, 25, 0)
  let n = 0
  while (history.written + term.written + dpkg.written < options.bytes) {
    n++
    t += r.int(60, 36 * 3600) * 1000
    const kind = r.pick(['upgrade', 'upgrade', 'upgrade', 'install', 'install', 'remove'] as const)
    const changes = pickChanges(r, kind === 'upgrade' ? r.int(1, 40) : r.int(1, 4), kind)
    const masks = r.chance(1 / 400)
    const fails = !masks && r.chance(1 / 300)
    const start = t
    const command = kind === 'upgrade' ? 'apt-get -y upgrade' : `apt-get -y ${kind} ${changes.map((c) => c.name).join(' ')}`
    const list = changes.map((c) => `${c.name}:amd64 (${kind === 'upgrade' ? `${c.old}, ${c.next}` : kind === 'install' ? c.next : c.old})`).join(', ')
    const tag = kind === 'upgrade' ? 'Upgrade' : kind === 'install' ? 'Install' : 'Remove'
    let body = `\nStart-Date: ${wall(start, '  ')}\nCommandline: ${command}\n`
    if (r.chance(0.7)) body += `Requested-By: admin (1000)\n`
    body += `${tag}: ${list}\n`
    const lines: string[] = [`\nLog started: ${wall(start, '  ')}\n`]
    const dpkgLines: string[] = [`${wall(start, ' ')} startup archives unpack\n`]
    // dpkg prints its database progress with bare CRs; apt's pty turns dpkg's newlines into CRLF
    lines.push(`(Reading database ... \r(Reading database ... 5%\r(Reading database ... 100%\r(Reading database ... ${r.int(20000, 90000)} files and directories currently installed.)\r\n`)
    for (const c of changes) {
      t += r.int(0, 2) * 1000
      const at = wall(t, ' ')
      if (kind === 'remove') {
        lines.push(`Removing ${c.name} (${c.old}) ...\r\n`)
        dpkgLines.push(`${at} remove ${c.name}:amd64 ${c.old} <none>\n`, `${at} status half-configured ${c.name}:amd64 ${c.old}\n`, `${at} status config-files ${c.name}:amd64 ${c.old}\n`)
        continue
      }
      lines.push(`Preparing to unpack .../${c.name}_${c.next!.replace(/^\d+:/, '')}_amd64.deb ...\r\n`)
      lines.push(kind === 'upgrade' ? `Unpacking ${c.name} (${c.next}) over (${c.old}) ...\r\n` : `Selecting previously unselected package ${c.name}.\r\nUnpacking ${c.name} (${c.next}) ...\r\n`)
      dpkgLines.push(`${at} ${kind} ${c.name}:amd64 ${c.old ?? '<none>'} ${c.next}\n`, `${at} status half-installed ${c.name}:amd64 ${c.old ?? c.next}\n`, `${at} status unpacked ${c.name}:amd64 ${c.next}\n`)
    }
    if (kind !== 'remove') {
      dpkgLines.push(`${wall(t, ' ')} startup packages configure\n`)
      for (const [i, c] of changes.entries()) {
        const at = wall(t, ' ')
        lines.push(`Setting up ${c.name} (${c.next}) ...\r\n`)
        dpkgLines.push(`${at} configure ${c.name}:amd64 ${c.next} <none>\n`, `${at} status half-configured ${c.name}:amd64 ${c.next}\n`)
        const unit = SERVICES[c.name]
        if (unit !== undefined && kind === 'install') {
          lines.push(`Created symlink /etc/systemd/system/multi-user.target.wants/${unit} → /lib/systemd/system/${unit}.\r\n`)
        }
        if (fails && i === changes.length - 1) {
          lines.push(`dpkg: error processing package ${c.name} (--configure):\r\n installed ${c.name} package post-installation script subprocess returned error exit status 1\r\n`)
          continue
        }
        if (masks && i === 0) lines.push(`Created symlink /etc/systemd/system/${unit ?? `${c.name}.service`} → /dev/null.\r\n`)
        dpkgLines.push(`${at} status installed ${c.name}:amd64 ${c.next}\n`)
      }
      lines.push(`Processing triggers for man-db (2.11.2-2) ...\r\n`, `Processing triggers for libc-bin (2.36-9+deb12u4) ...\r\n`)
      dpkgLines.push(`${wall(t, ' ')} trigproc man-db:amd64 2.11.2-2 <none>\n`, `${wall(t, ' ')} status installed man-db:amd64 2.11.2-2\n`)
    }
    if (fails) lines.push(`Errors were encountered while processing:\r\n ${changes.at(-1)!.name}\r\n`)
    lines.push(`Log ended: ${wall(t, '  ')}\n`)
    if (fails) body += 'Error: Sub-process /usr/bin/dpkg returned an error code (1)\n'
    body += `End-Date: ${wall(t, '  ')}\n`
    await history.add(body)
    await term.add(lines.join(''))
    await dpkg.add(dpkgLines.join(''))
  }
  await Promise.all([history.close(), term.close(), dpkg.close()])
  return Object.values(files)
}

async function el(root: string, options: PackageLogOptions, r: Random): Promise<string[]> {
  const files = { dnf: join(root, 'var/log/dnf.log'), rpm: join(root, 'var/log/dnf.rpm.log') }
  const dnf = new Out(files.dnf)
  const rpm = new Out(files.rpm)
  let t = Date.UTC(2024, 0, 2, 6, 25, 0)
  while (dnf.written + rpm.written < options.bytes) {
    t += r.int(60, 36 * 3600) * 1000
    const kind = r.pick(['upgrade', 'upgrade', 'upgrade', 'install', 'install', 'remove'] as const)
    const changes = pickChanges(r, kind === 'upgrade' ? r.int(1, 40) : r.int(1, 4), kind)
    const masks = r.chance(1 / 400)
    const fails = !masks && r.chance(1 / 300)
    const at = (): string => dnfTime(t)
    const nevra = (c: Change, v: string | null): string => `${c.name}-${v!.replace(/^\d+:/, '')}.el9.x86_64`
    const command = kind === 'upgrade' ? 'dnf -y upgrade' : `dnf -y ${kind} ${changes.map((c) => c.name).join(' ')}`
    const log: string[] = [
      `${at()} INFO --- logging initialized ---\n`,
      `${at()} DDEBUG timer: config: ${r.int(1, 9)} ms\n`,
      `${at()} DEBUG DNF version: 4.14.0\n`,
      `${at()} DDEBUG Command: ${command} \n`,
      `${at()} DDEBUG Installroot: /\n`,
      `${at()} DDEBUG Releasever: 9\n`,
      `${at()} DEBUG cachedir: /var/cache/dnf\n`,
      `${at()} DDEBUG Base command: ${kind}\n`,
      `${at()} DEBUG --> Starting dependency resolution\n`,
      ...changes.map((c) => `${at()} DEBUG ---> Package ${c.name}.x86_64 ${(c.next ?? c.old)!.replace(/^\d+:/, '')}.el9 will be ${kind === 'remove' ? 'erased' : kind === 'install' ? 'installed' : 'an upgrade'}\n`),
      `${at()} DEBUG --> Finished dependency resolution\n`,
      `${at()} INFO Dependencies resolved.\n`,
      `${at()} INFO ================================================================================\n Package                Arch        Version                 Repository     Size\n================================================================================\n${kind === 'upgrade' ? 'Upgrading' : kind === 'install' ? 'Installing' : 'Removing'}:\n`,
      ...changes.map((c) => ` ${c.name.padEnd(22)} x86_64      ${(c.next ?? c.old)!.padEnd(23)} baseos         ${r.int(10, 900)} k\n`),
      `\nTransaction Summary\n================================================================================\n${kind === 'upgrade' ? 'Upgrade' : kind === 'install' ? 'Install' : 'Remove'}  ${changes.length} Packages\n\n`,
      `${at()} INFO Running transaction check\n`,
      `${at()} INFO Transaction check succeeded.\n`,
      `${at()} INFO Running transaction test\n`,
      `${at()} INFO Transaction test succeeded.\n`,
      `${at()} INFO Running transaction\n`,
      `${at()} DDEBUG RPM transaction start.\n`,
    ]
    const rpmLines: string[] = [`${at()} INFO --- logging initialized ---\n`]
    for (const [i, c] of changes.entries()) {
      t += r.int(0, 2) * 1000
      if (kind === 'remove') rpmLines.push(`${at()} SUBDEBUG Erase: ${nevra(c, c.old)}\n`)
      else if (kind === 'install') rpmLines.push(`${at()} SUBDEBUG Installed: ${nevra(c, c.next)}\n`)
      else rpmLines.push(`${at()} SUBDEBUG Upgrade: ${nevra(c, c.next)}\n`, `${at()} SUBDEBUG Upgraded: ${nevra(c, c.old)}\n`)
      const unit = SERVICES[c.name]
      if (unit !== undefined && kind === 'install') rpmLines.push(`${at()} INFO Created symlink /etc/systemd/system/multi-user.target.wants/${unit} → /usr/lib/systemd/system/${unit}.\n\n`)
      if (masks && i === 0) rpmLines.push(`${at()} INFO Created symlink /etc/systemd/system/${unit ?? `${c.name}.service`} → /dev/null.\n\n`)
      if (fails && i === 0) rpmLines.push(`${at()} INFO ${c.name}: post-install step failed\nerror: %post(${nevra(c, c.next ?? c.old)}) scriptlet failed, exit status 1\n\n${at()} ERROR Error in POSTIN scriptlet in rpm package ${c.name}\n`)
    }
    log.push(`${at()} DDEBUG RPM transaction over.\n`)
    log.push(...changes.map((c) => `${at()} DEBUG ${kind === 'remove' ? 'Removed' : kind === 'install' ? 'Installed' : 'Upgraded'}: ${nevra(c, c.next ?? c.old)}\n`))
    log.push(`${at()} INFO Complete!\n`, `${at()} DDEBUG Cleaning up.\n`)
    await dnf.add(log.join(''))
    await rpm.add(rpmLines.join(''))
  }
  await Promise.all([dnf.close(), rpm.close()])
  return Object.values(files)
}

/** Writes the logs under `root` (a copied machine's layout); resolves with the files written. */
export async function writePackageLogs(root: string, options: PackageLogOptions): Promise<string[]> {
  const r = new Random(options.seed)
  return options.family === 'debian' ? debian(root, options, r) : el(root, options, r)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2]
  const value = (name: string, fallback: string): string => {
    const at = process.argv.indexOf(`--${name}`)
    return at === -1 ? fallback : (process.argv[at + 1] ?? fallback)
  }
  if (out === undefined || out.startsWith('--')) {
    console.error('usage: generate-packages.ts OUT_DIR [--mb 100] [--seed 1] [--family debian|el]')
    process.exit(2)
  }
  const family = value('family', 'debian')
  if (family !== 'debian' && family !== 'el') throw new Error('--family is debian or el')
  const files = await writePackageLogs(out, { bytes: Number(value('mb', '100')) * 1024 * 1024, seed: Number(value('seed', '1')), family })
  console.log(files.join('\n'))
}
