/** What would fix it: advice printed for a person, never executed. */
import type { UnitExplanation } from './types.ts'

export function adviseFix(x: UnitExplanation, pkg: string | null, haveFilesystem: boolean): string[] {
  const unit = x.unit
  const start = `systemctl start ${unit} (if it should run)`
  switch (x.cause) {
    case null:
      return x.state === 'unknown' && !haveFilesystem ? ['copy the machine\'s unit directories (etc/systemd, run/systemd, lib/systemd) to see its current state'] : []
    case 'admin-command':
      return [`ask ${person(x.actor)} why it was masked`, `systemctl unmask ${unit}`, start]
    case 'runtime-mask':
      return [`systemctl unmask --runtime ${unit} (or reboot: a runtime mask does not survive it)`, start]
    case 'package-script':
      return [
        `the package ${pkg ?? ''} masked it on purpose during installation: read its documentation (README.Debian, NEWS) before undoing it`.replace('  ', ' '),
        `systemctl unmask ${unit} only if you need this unit`,
      ]
    case 'package-removal':
      return pkg
        ? [`apt-get purge ${pkg} (drops the mask with the package's leftovers)`, `or apt-get install ${pkg} to use it again (its postinst unmasks the unit)`]
        : [`purge or reinstall the package that shipped ${unit}`, `systemctl unmask ${unit} removes ${x.path ?? 'the mask'}`]
    case 'interrupted-transaction':
      return x.transaction?.manager === 'dnf' || x.transaction?.manager === 'dnf5' || x.transaction?.manager === 'yum'
        ? [`finish or undo the interrupted transaction: dnf history info ${x.transaction.id.replace(/^dnf:/, '')} / dnf history undo, or dnf distro-sync`, `then check ${unit} again`]
        : ['dpkg --configure -a (finish what the interrupted run left half-done)', 'apt-get -f install', `then check ${unit} again; systemctl unmask ${unit} only if the package does not`]
    case 'vendor-default':
      return [`nothing to fix: ${pkg ? `package ${pkg}` : 'the distribution'} ships ${unit} masked on purpose (usually a placeholder for an old init script)`]
    case 'empty-unit-file':
      return pkg
        ? [`apt-get install --reinstall ${pkg} (restores ${x.path ?? 'the unit file'})`, 'systemctl daemon-reload']
        : [`rm ${x.path ? `/${x.path}` : 'the empty unit file'} (or restore it from a backup)`, 'systemctl daemon-reload', start]
    case 'unknown':
      return [`systemctl unmask ${unit} removes ${x.path ? `/${x.path}` : 'the mask'}`, 'nothing here says who made it: check image build scripts and configuration management before undoing it']
  }
}

/** `alice (as root) via sudo on pts/0` → `alice`; a unit's script → that script's owner. */
function person(actor: string | null): string {
  if (actor === null) return 'whoever masked it'
  return actor.replace(/ \(as [^)]*\)/, '').replace(/ via .*$/, '')
}
