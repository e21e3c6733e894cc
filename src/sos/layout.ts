/**
 * The shape of a sosreport (https://github.com/sosreport/sos): the machine's files under their own
 * paths (`etc/`, `var/log/`, `lib/systemd/system`…, symlinks kept as symlinks with absolute targets made
 * relative: `etc/systemd/system/x.service -> ../../../dev/null`), plus `sos_commands/<plugin>/<file>`
 * holding each command's output, `sos_reports/`, `sos_logs/`, `version.txt`, and top-level links into
 * sos_commands (`hostname`, `date`, `installed-debs`…).
 *
 * A command's output file is named after the command by `_mangle_command()` (sos/report/plugins/__init__.py):
 * runs of characters other than word characters, `-`, `.` and `/` become `_`, then ` ._-` are stripped at
 * the ends — `journalctl --no-pager  --boot -1` → `journalctl_--no-pager_--boot_-1`.
 */

// journalctl_--no-pager   journalctl_--no-pager_--boot   journalctl_--no-pager_--boot_-1   journalctl_--no-pager_--since_-3days
// journalctl_--no-pager_--catalog_--boot   journalctl_--all_--this-boot_--no-pager
const JOURNAL_TEXT_NAME = String.raw`journalctl_(?:--no-pager(?:_--catalog)?(?:_--boot(?:_-?\d+)?|_--since_[^/]+)?|--all_--this-boot_--no-pager)`

/**
 * The journal as `journalctl` printed it in the logs plugin (short format, local time of the machine):
 * sos 4: `journalctl_--no-pager` (whole journal), `…_--boot` (this boot), `…_--boot_-1` (the one before),
 * `…_--since_<value>`; sos 3.3–3.9: the same with `_--catalog`; sos 3.0–3.2: `journalctl_--all_--this-boot_--no-pager`.
 * Not `-o verbose` output, `--disk-usage` or `--list-boots`, nor other plugins' per-unit journals (subsets of it).
 */
export const SOS_JOURNAL_TEXT = new RegExp(String.raw`(?:^|\/)sos_commands\/logs\/${JOURNAL_TEXT_NAME}$`)

/** What discovery reads under `sos_commands/` (paths relative to the sosreport root): the unit-file listing and the journal text. */
export const SOS_COMMANDS_EVIDENCE = new RegExp(String.raw`^sos_commands\/(?:systemd\/systemctl_list-unit-files|logs\/${JOURNAL_TEXT_NAME})$`)

/** Output of a command sos ran (written during the collection), as opposed to a copied file. */
export function isSosCommandOutput(displayPath: string): boolean {
  return /(?:^|\/)sos_commands\//.test(displayPath)
}

/** A binary journal file of the machine, copied by `sos report --all-logs` (logs plugin: /var/log/journal/*, /run/log/journal/*). */
export const BINARY_JOURNAL_FILE = /(?:^|\/)(?:var|run)\/log\/journal\/.+\.journal~?$/
