/**
 * Every user mistake gets exactly one line saying what is wrong, one `help:` line saying what to do,
 * nothing on stdout, and the documented exit code (README "Exit codes": 2 for usage errors and evidence
 * that cannot be read). Runs the built CLI (dist/).
 */
import { describe, it, before } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CLI, REPO } from './helpers/cli.ts'

const JOURNAL = join(REPO, 'test/fixtures/journal/journal.json')
/** root reads anything whatever its mode: the unreadable cases then run the CLI as `nobody`. */
const AS_ROOT = process.getuid?.() === 0
const NOBODY = 65534

interface Case {
  name: string
  args: (dir: string) => string[]
  stdin?: string
  /** Run as an unprivileged user (so that a mode of 000 means something when the tests run as root). */
  unprivileged?: boolean
  exit: number
  error: RegExp
  help: RegExp
}

const CASES: Case[] = [
  { name: 'a path that does not exist', args: (d) => ['timeline', join(d, 'nope')], exit: 2, error: /^cannot read evidence .*nope: ENOENT$/, help: /copied root filesystem/ },
  {
    name: 'an unreadable file (mode 000)',
    args: (d) => ['timeline', join(d, 'secret.json')],
    unprivileged: true,
    exit: 2,
    error: /^cannot read evidence .*secret\.json: EACCES$/,
    help: /copied root filesystem/,
  },
  {
    name: 'a directory whose only log is unreadable',
    args: (d) => ['explain', join(d, 'locked')],
    unprivileged: true,
    exit: 2,
    error: /^var\/log\/journal\.json: cannot read: EACCES$/,
    help: /read permission/,
  },
  { name: 'a symlink loop', args: (d) => ['timeline', join(d, 'loop')], exit: 2, error: /^cannot read evidence .*loop: ELOOP$/, help: /copied root filesystem/ },
  { name: 'a FIFO', args: (d) => ['timeline', join(d, 'fifo')], exit: 2, error: /is neither a file nor a directory$/, help: /FIFOs, sockets and devices are not read/ },
  {
    name: 'a directory in which nothing is recognised (says what was looked for)',
    args: (d) => ['timeline', join(d, 'junk')],
    exit: 2,
    error: /^nothing maskwhy reads in .*junk: 2 file\(s\) looked at, none recognised$/,
    help: /^maskwhy reads apt history\.log; apt term\.log; .*dpkg's log; .*systemd journal files; .*systemd journal as JSON; .*syslog text; .*yum 3 log — /,
  },
  {
    name: 'explain on an empty directory (unit directories are looked for too)',
    args: (d) => ['explain', join(d, 'empty')],
    exit: 2,
    error: /^nothing maskwhy reads in .*empty: no file looked at, none recognised$/,
    help: /unit directories \(etc\/systemd\/system/,
  },
  { name: 'a file no parser recognises', args: (d) => ['timeline', join(d, 'junk/notes.txt')], exit: 2, error: /^no parser recognises .*notes\.txt$/, help: /force a parser with --format-of/ },
  { name: 'stdin that no parser recognises', args: () => ['timeline', '-'], stdin: 'hello\n', exit: 2, error: /^no parser recognises the input on stdin$/, help: /--format-of/ },
  {
    name: 'an "archive" that is not one',
    args: (d) => ['timeline', join(d, 'bundle.tar.gz')],
    exit: 2,
    error: /^.*bundle\.tar\.gz is named like a tar archive but is not one \(no tar header, plain, gzip or xz\), and no parser recognises its content$/,
    help: /a tar archive of them/,
  },
  {
    name: 'an unknown --format',
    args: (d) => ['timeline', join(d, 'journal.json'), '--format', 'xml'],
    exit: 2,
    error: /^Invalid values: Argument: format, Given: "xml", Choices: "table", "jsonl", "json", "csv", "timesketch"$/,
    help: /maskwhy --help/,
  },
  { name: 'an unknown explain --format', args: (d) => ['explain', join(d, 'journal.json'), '--format', 'csv'], exit: 2, error: /^Invalid values: Argument: format, Given: "csv"/, help: /maskwhy --help/ },
  { name: 'a bad --tz', args: (d) => ['timeline', join(d, 'journal.json'), '--tz', 'Mars/Olympus'], exit: 2, error: /^unknown time zone "Mars\/Olympus"/, help: /timedatectl list-timezones/ },
  { name: 'a bad --display-tz', args: (d) => ['explain', join(d, 'journal.json'), '--display-tz', 'CEST+2'], exit: 2, error: /^unknown time zone "CEST\+2"/, help: /IANA zone name/ },
  { name: 'a bad --since', args: (d) => ['timeline', join(d, 'journal.json'), '--since', 'yesterday'], exit: 2, error: /^cannot read time "yesterday"/, help: /--since, --until and --generated-at take ISO 8601/ },
  { name: 'a bad --until', args: (d) => ['timeline', join(d, 'journal.json'), '--until', '2024-13-45'], exit: 2, error: /^time "2024-13-45" is out of range$/, help: /--since, --until and --generated-at take ISO 8601/ },
  { name: 'a bad --year', args: (d) => ['timeline', join(d, 'journal.json'), '--year', '24'], exit: 2, error: /^--year expects a year/, help: /maskwhy --help/ },
  {
    name: 'a forced parser that does not match the input',
    args: (d) => ['timeline', join(d, 'journal.json'), '--format-of', 'journal.json=dpkg-log'],
    exit: 2,
    error: /^--format-of forced dpkg-log on journal\.json, but it read nothing there \(35 of 35 line\(s\) rejected\)$/,
    help: /drop --format-of for journal\.json/,
  },
  {
    name: 'an unknown parser name',
    args: (d) => ['timeline', join(d, 'journal.json'), '--format-of', 'journal.json=journald'],
    exit: 2,
    error: /^--format-of expects PATH=PARSER with PARSER one of: apt-history, .*journal-json.* \(got "journal\.json=journald"\)$/,
    help: /--format-of 'export\.txt=journal-json'/,
  },
  { name: '--format-of without a parser', args: (d) => ['timeline', join(d, 'journal.json'), '--format-of', 'journal.json'], exit: 2, error: /^--format-of expects PATH=PARSER/, help: /for example/ },
  { name: 'stdin named twice', args: () => ['timeline', '-', '-'], exit: 2, error: /^stdin \(-\) can be given only once$/, help: /maskwhy --help/ },
  { name: 'no evidence argument', args: () => ['timeline'], exit: 2, error: /^Not enough non-option arguments: got 0, need at least 1$/, help: /maskwhy --help/ },
  { name: 'an unknown command', args: (d) => ['explian', join(d, 'journal.json')], exit: 2, error: /^Unknown argument/, help: /maskwhy --help/ },
  { name: 'an unknown option', args: (d) => ['timeline', join(d, 'journal.json'), '--unti', 'x'], exit: 2, error: /^Unknown argument: unti$/, help: /maskwhy --help/ },
  {
    name: 'report -o inside the evidence',
    args: (d) => ['report', join(d, 'locked-free'), '-o', join(d, 'locked-free/var/log/report.html')],
    exit: 2,
    error: /^refusing to write the report to .*report\.html: it is inside the evidence/,
    help: /maskwhy --help/,
  },
  { name: 'report with a bad --generated-at', args: (d) => ['report', join(d, 'journal.json'), '--generated-at', 'noon'], exit: 2, error: /^cannot read time "noon"/, help: /--generated-at take ISO 8601/ },
]

describe('user mistakes: one clear line, one hint, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskwhy-cli-errors-'))

  before(() => {
    chmodSync(dir, 0o755)
    copyFileSync(JOURNAL, join(dir, 'journal.json'))
    copyFileSync(JOURNAL, join(dir, 'secret.json'))
    chmodSync(join(dir, 'secret.json'), 0o000)
    mkdirSync(join(dir, 'locked/var/log'), { recursive: true })
    copyFileSync(JOURNAL, join(dir, 'locked/var/log/journal.json'))
    chmodSync(join(dir, 'locked/var/log/journal.json'), 0o000)
    mkdirSync(join(dir, 'locked-free/var/log'), { recursive: true })
    copyFileSync(JOURNAL, join(dir, 'locked-free/var/log/journal.json'))
    symlinkSync('loop', join(dir, 'loop'))
    execFileSync('mkfifo', [join(dir, 'fifo')])
    mkdirSync(join(dir, 'junk'))
    writeFileSync(join(dir, 'junk/notes.txt'), 'remember the milk\n')
    writeFileSync(join(dir, 'junk/photo.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]))
    mkdirSync(join(dir, 'empty'))
    writeFileSync(join(dir, 'bundle.tar.gz'), 'this was supposed to be a tarball\n')
  })

  for (const c of CASES) {
    it(c.name, () => {
      const r = spawnSync(process.execPath, [CLI, ...c.args(dir)], {
        input: c.stdin ?? '',
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' },
        ...(c.unprivileged && AS_ROOT && { uid: NOBODY, gid: NOBODY }),
      })
      assert.equal(r.status, c.exit, `exit ${r.status}, stderr: ${r.stderr}`)
      assert.equal(r.stdout, '', 'nothing on stdout')
      const lines = r.stderr.split('\n').filter((l) => l !== '')
      assert.equal(lines.length, 2, `expected one error line and one help line, got:\n${r.stderr}`)
      assert.match(lines[0]!, /^maskwhy: /)
      assert.match(lines[0]!.slice('maskwhy: '.length), c.error)
      assert.match(lines[1]!, /^help: /)
      assert.match(lines[1]!.slice('help: '.length), c.help)
    })
  }
})
