/** What would fix it: advice printed for a person, never executed. */
import type { KernelCommandLine } from '../events.ts'
import type { BootMasks } from './boot-masks.ts'
import type { AfterUnmask, DependencyLink, UnitExplanation } from './types.ts'

/** Everything beyond the explanation itself that the advice depends on. */
export interface FixFacts {
  /** The package the decision names (the one that masked it, or owns the mask). */
  pkg: string | null
  haveFilesystem: boolean
  /** The unit's activators (X.socket…): a socket-activated service is started through its socket. */
  triggeredBy: readonly DependencyLink[]
  afterUnmask: AfterUnmask | null
  /** The package that shipped the unit is removed (dpkg config-files, rpm erased), and how that is known. */
  packageGone: { name: string; manager: 'dpkg' | 'rpm'; how: string } | null
  /** Kernel command lines that mask the unit, for `kernel-cmdline` and `generator`. */
  boot: BootMasks | null
  /** Every grub-default command line in the evidence (to tell "grub.cfg is stale" from "not copied"). */
  grubDefaults: readonly KernelCommandLine[]
  /** The copied proc/cmdline, whatever it masks. */
  runningCommandLine: KernelCommandLine | null
  /** Generators installed on this machine (etc/, run/, usr/local/): the first suspects for a generator mask. */
  localGenerators: readonly string[]
  /** For a generator mask: the unit file a copy in /etc/systemd/system could be made from. */
  overridable: string | null
}

export function adviseFix(x: UnitExplanation, f: FixFacts): string[] {
  const unit = x.unit
  const start = startAdvice(unit, f.triggeredBy)
  switch (x.cause) {
    case null:
      return x.state === 'unknown' && !f.haveFilesystem ? ['copy the machine\'s unit directories (etc/systemd, run/systemd, lib/systemd) to see its current state'] : []
    case 'admin-command':
      return [`ask ${person(x.actor)} why it was masked`, ...unmaskAdvice(unit, `systemctl unmask ${unit}`, f), start]
    case 'runtime-mask':
      return [...unmaskAdvice(unit, `systemctl unmask --runtime ${unit} (or reboot: a runtime mask does not survive it)`, f), start]
    case 'package-script':
      return [
        `the package ${f.pkg ?? ''} masked it on purpose during installation: read its documentation (README.Debian, NEWS) before undoing it`.replace('  ', ' '),
        `systemctl unmask ${unit} only if you need this unit`,
        ...(f.afterUnmask ? [f.afterUnmask.note] : []),
      ]
    case 'package-removal':
      if (f.pkg && f.packageGone?.manager === 'rpm') return [`dnf install ${f.pkg} to use it again, then systemctl unmask ${unit}`, `or leave the mask: it hides a unit whose package is erased`]
      return f.pkg
        ? [`apt-get purge ${f.pkg} (drops the mask with the package's leftovers)`, `or apt-get install ${f.pkg} to use it again (its postinst unmasks the unit)`]
        : [`purge or reinstall the package that shipped ${unit}`, `systemctl unmask ${unit} removes ${x.path ?? 'the mask'}`]
    case 'interrupted-transaction':
      return x.transaction?.manager === 'dnf' || x.transaction?.manager === 'dnf5' || x.transaction?.manager === 'yum'
        ? [`finish or undo the interrupted transaction: dnf history info ${x.transaction.id.replace(/^dnf:/, '')} / dnf history undo, or dnf distro-sync`, `then check ${unit} again`]
        : ['dpkg --configure -a (finish what the interrupted run left half-done)', 'apt-get -f install', `then check ${unit} again; systemctl unmask ${unit} only if the package does not`]
    case 'vendor-default':
      return [`nothing to fix: ${f.pkg ? `package ${f.pkg}` : 'the distribution'} ships ${unit} masked on purpose (usually a placeholder for an old init script)`]
    case 'empty-unit-file':
      return f.pkg
        ? [`apt-get install --reinstall ${f.pkg} (restores ${x.path ?? 'the unit file'})`, 'systemctl daemon-reload']
        : [`rm ${x.path ? `/${x.path}` : 'the empty unit file'} (or restore it from a backup)`, 'systemctl daemon-reload', start]
    case 'kernel-cmdline':
      return [...commandLineAdvice(unit, f), start]
    case 'generator':
      return [...generatorAdvice(x, f), start]
    case 'unknown':
      return [
        ...unmaskAdvice(unit, `systemctl unmask ${unit} removes ${x.path ? `/${x.path}` : 'the mask'}`, f),
        'nothing here says who made it: check image build scripts and configuration management before undoing it',
        start,
      ]
  }
}

/** A socket-, timer- or path-activated unit is started through its activator, not directly. */
function startAdvice(unit: string, triggeredBy: readonly DependencyLink[]): string {
  const by = (suffix: string): DependencyLink | undefined => triggeredBy.find((t) => t.unit.endsWith(suffix))
  const socket = by('.socket')
  if (socket) return `systemctl enable --now ${socket.unit} (${unit} is socket-activated: start and enable its socket, not the service directly)`
  const timer = by('.timer') ?? by('.path')
  if (timer) return `systemctl enable --now ${timer.unit} (${unit} is started by it)`
  const template = /^(?<stem>[^@]+)@(?<suffix>\.[a-z]+)$/.exec(unit)?.groups
  if (template) return `systemctl start ${template['stem']}@NAME${template['suffix']} for each instance in use (a template is not started itself)`
  return `systemctl start ${unit} (if it should run)`
}

/** The unmask command, checked against what it would leave behind. */
function unmaskAdvice(unit: string, command: string, f: FixFacts): string[] {
  const after = f.afterUnmask
  if (after === null || !after.known) return [command]
  if (after.path !== null) return [command, after.note]
  const gone = f.packageGone
  if (gone !== null) {
    const [install, purge] = gone.manager === 'rpm' ? [`dnf install ${gone.name}`, null] : [`apt-get install ${gone.name}`, `apt-get purge ${gone.name}`]
    return [
      `${install} first: ${unit}'s unit file left with the package (${gone.how}), so unmasking alone leads straight to "Unit ${unit} not found."`,
      command,
      ...(purge ? [`or, if ${unit} is not needed, ${purge} and leave it at that (the mask hides nothing)`] : []),
    ]
  }
  return [command, `${after.note}: reinstall the package that ships ${unit} first (apt-file search / dnf provides '*/${unit}')`]
}

function commandLineAdvice(unit: string, f: FixFacts): string[] {
  const b = f.boot
  const param = `systemd.mask=${unit}`
  const out = [`systemctl unmask ${unit} cannot undo it: systemd-debug-generator recreates /run/systemd/generator.early/${unit} from ${param} at every boot and daemon-reload`]
  const defaults = b?.nextConfig.filter((l) => l.origin === 'grub-default') ?? []
  const kernelInstall = b?.nextConfig.filter((l) => l.origin === 'kernel-install') ?? []
  for (const d of defaults) {
    out.push(`remove ${param} from ${d.entry ?? 'GRUB_CMDLINE_LINUX'} in /${d.path} (line ${d.line}), then update-grub (Debian, Ubuntu) or grub2-mkconfig -o /boot/grub2/grub.cfg (RHEL, Fedora)`)
  }
  for (const k of kernelInstall) out.push(`remove ${param} from /${k.path}, then regenerate the boot entries: kernel-install add $(uname -r) /lib/modules/$(uname -r)/vmlinuz`)
  const cfg = b?.loaderEntries[0]
  if (cfg && defaults.length === 0) {
    out.push(
      f.grubDefaults.length > 0
        ? `/${cfg.path} (line ${cfg.line}) still has ${param}, but /${f.grubDefaults[0]!.path} no longer does: run update-grub (or grub2-mkconfig) to regenerate it`
        : `/${cfg.path} (line ${cfg.line}) has ${param}: remove it from GRUB_CMDLINE_LINUX* in /etc/default/grub (not in the evidence), then update-grub; grubby --update-kernel=ALL --remove-args=${param} on BLS systems`,
    )
  }
  if (defaults.length === 0 && kernelInstall.length === 0 && !cfg) {
    out.push(
      `remove ${param} from the boot entry; the evidence holds no boot-loader configuration to say which: GRUB: /etc/default/grub then update-grub; BLS (RHEL, Fedora): grubby --update-kernel=ALL --remove-args=${param}; systemd-boot: /etc/kernel/cmdline`,
    )
  }
  out.push(`for one boot only: at the GRUB menu press e, delete ${param} from the linux line, boot with Ctrl-x`)
  out.push(`reboot, then check: cat /proc/cmdline; systemctl is-enabled ${unit}`)
  return out
}

function generatorAdvice(x: UnitExplanation, f: FixFacts): string[] {
  const unit = x.unit
  const early = x.path?.startsWith('run/systemd/generator.early/') === true
  const out = [`systemctl unmask ${unit} cannot undo it ("Unit ${unit} is masked via a generator and cannot be unmasked."): a generator writes /${x.path ?? `run/systemd/generator*/${unit}`} at every boot and daemon-reload`]
  if (early) {
    out.push(
      f.runningCommandLine !== null
        ? `the running boot's command line (/${f.runningCommandLine.path}) has no systemd.mask=${unit}: another generator wrote it`
        : `check the kernel command line first: cat /proc/cmdline (systemd.mask=${unit}; systemd-debug-generator writes those masks into /run/systemd/generator.early)`,
    )
  }
  if (f.localGenerators.length > 0) {
    out.push(`start with the generator${f.localGenerators.length > 1 ? 's' : ''} installed on this machine: ${f.localGenerators.map((g) => `/${g}`).join(', ')}; read it, and change its configuration or the condition that makes it mask ${unit}`)
  }
  out.push(
    'otherwise find the generator: ls /etc/systemd/system-generators /run/systemd/system-generators /usr/local/lib/systemd/system-generators /usr/lib/systemd/system-generators; run each into empty directories (GENERATOR /tmp/n /tmp/e /tmp/l) to see which writes the link; change its configuration, or disable it with ln -s /dev/null /etc/systemd/system-generators/NAME',
  )
  if (!early && f.overridable !== null) {
    out.push(`or, if the generator is wrong to mask it, override it: a unit file in /etc/systemd/system comes before /run/systemd/generator: cp /${f.overridable} /etc/systemd/system/ && systemctl daemon-reload`)
  }
  return out
}

/** `alice (as root) via sudo on pts/0` → `alice`; a unit's script → that script's owner. */
function person(actor: string | null): string {
  if (actor === null) return 'whoever masked it'
  return actor.replace(/ \(as [^)]*\)/, '').replace(/ via .*$/, '')
}
