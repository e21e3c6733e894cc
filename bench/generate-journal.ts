/**
 * Realistic `journalctl -o json` (systemd 252) of a busy server, seeded and reproducible.
 *
 *   npx tsx bench/generate-journal.ts OUT.json [--mb 1024] [--seed 1] [--host web1]
 *
 * What makes it realistic (and hard for a prefilter): journald's trusted fields on every entry, fields
 * in hash-table order (as journalctl 252 prints them: the same for entries with the same fields), many sources (nginx via stdout, sshd, kernel with UFW
 * and AppArmor lines, PID 1 timer jobs, cron, containerd, postfix, logind, sudo, audit), byte arrays for
 * messages with ANSI colour, arrays for repeated fields, null for fields of 4096 bytes or more,
 * multi-line messages, occasional backward time steps, a reboot every ~150k entries, and a small
 * masking story (sudo + audit + daemon-reload + systemctl output + a failing deploy) at fixed points.
 */
import { createWriteStream } from 'node:fs'
import { Random } from './random.ts'

export interface JournalOptions {
  bytes: number
  seed: number
  host: string
}

type Value = string | string[] | number[] | null
type Fields = Record<string, Value>

const MID = {
  jobStart: '7d4958e842da4a758f6c1cdc7b36dcc5',
  jobDone: '39f53479d3a045ac8e11786248231fbf',
  deactivated: '7ad2d189f7e94e70a38c781354912448',
  consumed: 'ae8f7b866b0347b9af31fe1c80b127c0',
  sessionStart: '8d45620c1a4348dbb17410da57c60c66',
  sessionStop: '3354939424b4456d9802ca8333ed424a',
}

const TIMERS = [
  ['sysstat-collect.service', 'system activity accounting tool'],
  ['phpsessionclean.service', 'Clean php session files'],
  ['apt-daily.service', 'Daily apt download activities'],
  ['man-db.service', 'Daily man-db regeneration'],
  ['logrotate.service', 'Rotate log files'],
  ['certbot.service', 'Certbot'],
  ['fstrim.service', 'Discard unused blocks on filesystems from /etc/fstab'],
  ['systemd-tmpfiles-clean.service', 'Cleanup of Temporary Directories'],
] as const
const USERS = ['alice', 'bob', 'deploy', 'carol', 'ansible']
const BAD_USERS = ['admin', 'test', 'oracle', 'ubuntu', 'user', 'git', 'postgres', 'guest', 'ftpuser', 'pi']
const PATHS = ['/api/v1/items', '/healthz', '/static/app.js', '/login', '/api/v1/orders', '/favicon.ico', '/wp-login.php', '/.env']
const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
  'kube-probe/1.29',
  'curl/7.88.1',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'python-requests/2.31.0',
]
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

function jsonValue(v: Value): string {
  if (v === null) return 'null'
  if (typeof v === 'string') return JSON.stringify(v)
  return `[${(v as (string | number)[]).map((x) => (typeof x === 'number' ? String(x) : JSON.stringify(x))).join(',')}]`
}

/** journalctl prints a value with control characters (ANSI colour) as an array of bytes. */
function bytesOf(text: string): number[] {
  return [...Buffer.from(text, 'utf8')]
}

/** Writes a generated journal export of about `bytes` bytes; resolves with the entry count. */
export function writeJournalJson(path: string, options: JournalOptions): Promise<{ entries: number; bytes: number }> {
  const r = new Random(options.seed)
  const machineId = r.hex(32)
  const seqnumId = r.hex(32)
  const host = options.host
  let seq = 0
  let bootId = r.hex(32)
  let bootStartUs = 1_709_251_200_000_000 + r.int(0, 3_600_000_000)
  let nowUs = bootStartUs + 4_000_000
  let entriesInBoot = 0
  let session = r.int(1, 40)
  let pid = 1000
  const invocations = new Map<string, string>()
  const invocation = (unit: string): string => {
    if (!invocations.has(unit) || r.chance(0.05)) invocations.set(unit, r.hex(32))
    return invocations.get(unit)!
  }

  // journalctl 252 prints an entry's fields in the order of its hash table: fixed for one run (the hash
  // key is random per process), so entries with the same fields come out in the same order.
  const hashKey = r.int(0, 0xffffffff)
  const ranks = new Map<string, number>()
  const keyRank = (key: string): number => {
    let rank = ranks.get(key)
    if (rank === undefined) {
      rank = hashKey
      for (let i = 0; i < key.length; i++) rank = Math.imul(rank ^ key.charCodeAt(i), 16777619) >>> 0
      ranks.set(key, rank)
    }
    return rank
  }

  const out = createWriteStream(path, { highWaterMark: 4 * 1024 * 1024 })
  let written = 0
  let entries = 0
  let buffer: string[] = []
  let buffered = 0

  function emit(fields: Fields, trusted: Fields): void {
    seq++
    entriesInBoot++
    // Mostly forward; now and then a small step back, as when journalctl interleaves files.
    nowUs += r.chance(0.0005) ? -r.int(1, 2_000_000) : r.int(1, 5_000_000)
    const mono = nowUs - bootStartUs
    const cursor = `s=${seqnumId};i=${seq.toString(16)};b=${bootId};m=${mono.toString(16)};t=${nowUs.toString(16)};x=${r.hex(16)}`
    const all: [string, Value][] = [
      ['__CURSOR', cursor],
      ['__REALTIME_TIMESTAMP', String(nowUs)],
      ['__MONOTONIC_TIMESTAMP', String(mono)],
      ['_BOOT_ID', bootId],
      ['_MACHINE_ID', machineId],
      ['_HOSTNAME', host],
      ...Object.entries(trusted),
      ...Object.entries(fields),
    ]
    const line = `{${all
      .sort((a, b) => keyRank(a[0]) - keyRank(b[0]))
      .map(([k, v]) => `"${k}":${jsonValue(v)}`)
      .join(',')}}\n`
    buffer.push(line)
    buffered += line.length
    entries++
  }

  const proc = (comm: string, exe: string, cmdline: string, unit: string, extra: Fields = {}): Fields => ({
    _PID: String(extra['_PID'] ?? pid),
    _UID: '0',
    _GID: '0',
    _COMM: comm,
    _EXE: exe,
    _CMDLINE: cmdline,
    _CAP_EFFECTIVE: '1ffffffffff',
    _SELINUX_CONTEXT: 'unconfined\n',
    _SYSTEMD_CGROUP: `/system.slice/${unit}`,
    _SYSTEMD_UNIT: unit,
    _SYSTEMD_SLICE: 'system.slice',
    _SYSTEMD_INVOCATION_ID: invocation(unit),
    ...extra,
  })
  const syslogTime = (): string => {
    const d = new Date(Math.floor(nowUs / 1000))
    const day = String(d.getUTCDate()).padStart(2, ' ')
    return `${MONTHS[d.getUTCMonth()]} ${day} ${d.toISOString().slice(11, 19)} `
  }
  const syslog = (ident: string, priority: number, facility: number, message: string): Fields => ({
    _TRANSPORT: 'syslog',
    SYSLOG_IDENTIFIER: ident,
    SYSLOG_PID: String(pid),
    SYSLOG_FACILITY: String(facility),
    SYSLOG_TIMESTAMP: syslogTime(),
    PRIORITY: String(priority),
    MESSAGE: message,
    _SOURCE_REALTIME_TIMESTAMP: String(nowUs - r.int(5, 400)),
  })
  const stdout = (ident: string, message: Value, priority = 6): Fields => ({
    _TRANSPORT: 'stdout',
    _STREAM_ID: r.hex(32),
    SYSLOG_IDENTIFIER: ident,
    SYSLOG_FACILITY: '3',
    PRIORITY: String(priority),
    MESSAGE: message,
  })
  const pid1 = (message: string, extra: Fields): void =>
    emit(
      {
        _TRANSPORT: 'journal',
        SYSLOG_IDENTIFIER: 'systemd',
        SYSLOG_FACILITY: '3',
        PRIORITY: '6',
        CODE_FILE: 'src/core/job.c',
        CODE_LINE: String(r.int(500, 900)),
        CODE_FUNC: 'job_emit_done_message',
        TID: '1',
        MESSAGE: message,
        _SOURCE_REALTIME_TIMESTAMP: String(nowUs),
        ...extra,
      },
      {
        _PID: '1',
        _UID: '0',
        _GID: '0',
        _COMM: 'systemd',
        _EXE: '/usr/lib/systemd/systemd',
        _CMDLINE: '/sbin/init',
        _CAP_EFFECTIVE: '1ffffffffff',
        _SELINUX_CONTEXT: 'unconfined\n',
        _SYSTEMD_CGROUP: '/init.scope',
        _SYSTEMD_UNIT: 'init.scope',
        _SYSTEMD_SLICE: '-.slice',
      },
    )

  function timerJob(): void {
    const [unit, description] = r.pick(TIMERS)
    const job = String(r.int(1000, 90000))
    const inv = invocation(unit)
    pid1(`Starting ${unit} - ${description}...`, { MESSAGE_ID: MID.jobStart, JOB_ID: job, JOB_TYPE: 'start', UNIT: unit, INVOCATION_ID: inv })
    pid1(`${unit}: Deactivated successfully.`, { MESSAGE_ID: MID.deactivated, UNIT: unit, INVOCATION_ID: inv, CODE_FILE: 'src/core/unit.c', CODE_FUNC: 'unit_log_success' })
    pid1(`Finished ${unit} - ${description}.`, { MESSAGE_ID: MID.jobDone, JOB_ID: job, JOB_TYPE: 'start', JOB_RESULT: 'done', UNIT: unit, INVOCATION_ID: inv })
    if (r.chance(0.6)) {
      pid1(`${unit}: Consumed ${r.int(10, 9000) / 1000}s CPU time.`, {
        MESSAGE_ID: MID.consumed,
        UNIT: unit,
        INVOCATION_ID: inv,
        CPU_USAGE_NSEC: String(r.int(1e7, 9e9)),
        CODE_FILE: 'src/core/unit.c',
        CODE_FUNC: 'unit_log_resources',
      })
    }
  }

  function nginx(): void {
    const t = new Date(Math.floor(nowUs / 1000)).toISOString()
    const message = `${r.ip()} - - [${t.slice(8, 10)}/${MONTHS[Number(t.slice(5, 7)) - 1]}/${t.slice(0, 4)}:${t.slice(11, 19)} +0000] "${r.pick(['GET', 'GET', 'GET', 'POST'])} ${r.pick(PATHS)}${r.chance(0.3) ? `?page=${r.int(1, 50)}` : ''} HTTP/1.1" ${r.pick([200, 200, 200, 304, 404, 301, 500])} ${r.int(0, 90000)} "-" "${r.pick(AGENTS)}"`
    emit(stdout('nginx', message), proc('nginx', '/usr/sbin/nginx', 'nginx: worker process', 'nginx.service', { _PID: '812', _UID: '33', _GID: '33' }))
  }

  function sshd(): void {
    pid = r.int(20000, 400000)
    const user = r.pick(BAD_USERS)
    const port = r.int(30000, 65000)
    const ip = r.ip()
    const message = r.pick([
      `Failed password for invalid user ${user} from ${ip} port ${port} ssh2`,
      `Invalid user ${user} from ${ip} port ${port}`,
      `Connection closed by invalid user ${user} ${ip} port ${port} [preauth]`,
      `Received disconnect from ${ip} port ${port}:11: Bye Bye [preauth]`,
      `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}`,
      `Disconnected from authenticating user root ${ip} port ${port} [preauth]`,
    ])
    emit(syslog('sshd', 6, 4, message), proc('sshd', '/usr/sbin/sshd', `sshd: ${user} [priv]`, 'ssh.service', { _PID: String(pid) }))
  }

  function kernel(): void {
    const message = r.chance(0.7)
      ? `[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:${r.hex(2)}:${r.hex(2)}:${r.hex(2)}:fe:ff:ff:ff:ff:ff:08:00 SRC=${r.ip()} DST=10.0.0.5 LEN=${r.int(40, 60)} TOS=0x00 PREC=0x00 TTL=${r.int(30, 250)} ID=${r.int(1, 65535)} PROTO=TCP SPT=${r.int(1024, 65535)} DPT=${r.pick([22, 23, 3389, 5900, 8080, 445])} WINDOW=1024 RES=0x00 SYN URGP=0`
      : `audit: type=1400 audit(${Math.floor(nowUs / 1e6)}.${r.int(100, 999)}:${r.int(100, 99999)}): apparmor="DENIED" operation="open" class="file" profile="snap.lxd.daemon" name="/proc/${r.int(1, 9999)}/environ" pid=${r.int(100, 99999)} comm="lxd" requested_mask="r" denied_mask="r" fsuid=0 ouid=0`
    const fields: Fields = {
      _TRANSPORT: 'kernel',
      SYSLOG_IDENTIFIER: 'kernel',
      SYSLOG_FACILITY: '0',
      PRIORITY: '4',
      MESSAGE: message,
      _SOURCE_MONOTONIC_TIMESTAMP: String(nowUs - bootStartUs - r.int(1, 9999)),
    }
    if (r.chance(0.02)) {
      fields['_UDEV_DEVLINK'] = [`/dev/disk/by-id/virtio-${r.hex(12)}`, `/dev/disk/by-path/pci-0000:00:0${r.int(1, 9)}.0`]
      fields['_KERNEL_DEVICE'] = `b253:${r.int(0, 9)}`
      fields['_KERNEL_SUBSYSTEM'] = 'block'
      fields['_UDEV_SYSNAME'] = 'vda'
    }
    emit(fields, {})
  }

  function cron(): void {
    pid = r.int(20000, 400000)
    const message = r.pick([
      'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)',
      '(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)',
      'pam_unix(cron:session): session closed for user root',
      '(www-data) CMD ([ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi)',
    ])
    emit(syslog('CRON', 6, 10, message), proc('cron', '/usr/sbin/cron', '/usr/sbin/CRON -f -P', 'cron.service', { _PID: String(pid) }))
  }

  function containerd(): void {
    const level = r.pick(['info', 'info', 'info', 'warning', 'error'])
    const message = r.chance(0.5)
      ? `time="${new Date(Math.floor(nowUs / 1000)).toISOString()}" level=${level} msg="cleaning up dead shim" namespace=moby`
      : `{"level":"${level}","ts":${(nowUs / 1e6).toFixed(6)},"caller":"server/handler.go:${r.int(10, 400)}","msg":"request served","path":"${r.pick(PATHS)}","status":${r.pick([200, 404, 500])},"latency_ms":${r.int(1, 900)}}`
    emit(stdout('containerd', message), proc('containerd', '/usr/bin/containerd', '/usr/bin/containerd', 'containerd.service', { _PID: '701' }))
  }

  function postfix(): void {
    pid = r.int(20000, 400000)
    const id = r.hex(10).toUpperCase()
    const message = r.pick([
      `${id}: to=<${r.pick(USERS)}@example.com>, relay=mx.example.com[${r.ip()}]:25, delay=${r.int(1, 90) / 10}, delays=0.1/0/0.2/0.3, dsn=2.0.0, status=sent (250 2.0.0 OK)`,
      `connect from unknown[${r.ip()}]`,
      `disconnect from unknown[${r.ip()}] ehlo=1 auth=0/1 quit=1 commands=2/3`,
    ])
    emit(syslog('postfix/smtpd', 6, 2, message), proc('smtpd', '/usr/lib/postfix/sbin/smtpd', 'smtpd -n smtp -t inet -u -c', 'postfix@-.service', { _PID: String(pid), _UID: '107' }))
  }

  function misc(): void {
    const [ident, unit, message] = r.pick([
      ['dbus-daemon', 'dbus.service', `[system] Activating via systemd: service name='org.freedesktop.hostname1' unit='dbus-org.freedesktop.hostname1.service' requested by ':1.${r.int(1, 999)}' (uid=0 pid=${r.int(100, 9999)} comm="hostnamectl" label="unconfined")`],
      ['NetworkManager', 'NetworkManager.service', `<info>  [${(nowUs / 1e6).toFixed(4)}] dhcp4 (eth0): state changed new lease, address=10.0.0.5`],
      ['systemd-resolved', 'systemd-resolved.service', 'Using degraded feature set UDP instead of UDP+EDNS0 for DNS server 10.0.0.2.'],
      ['snapd', 'snapd.service', `storehelpers.go:${r.int(100, 999)}: cannot refresh: snap has no updates available: "core20", "lxd", "snapd"`],
      ['multipathd', 'multipathd.service', 'sda: add missing path'],
      ['php-fpm8.2', 'php8.2-fpm.service', `[pool www] child ${r.int(1000, 99999)} exited with code 0 after ${r.int(1, 9999)}.${r.int(100000, 999999)} seconds from start`],
    ] as const)
    emit(syslog(ident, 6, 3, message), proc(ident, `/usr/sbin/${ident}`, ident, unit, { _PID: String(r.int(300, 2000)) }))
  }

  function logind(): void {
    session++
    const user = r.pick(USERS)
    const extra = proc('systemd-logind', '/usr/lib/systemd/systemd-logind', '/usr/lib/systemd/systemd-logind', 'systemd-logind.service', { _PID: '611' })
    emit({ _TRANSPORT: 'journal', SYSLOG_IDENTIFIER: 'systemd-logind', MESSAGE_ID: MID.sessionStart, SESSION_ID: String(session), USER_ID: user, LEADER: String(pid), MESSAGE: `New session ${session} of user ${user}.`, PRIORITY: '6', CODE_FILE: 'src/login/logind-session.c', CODE_LINE: '851', CODE_FUNC: 'session_start' }, extra)
    emit({ _TRANSPORT: 'journal', SYSLOG_IDENTIFIER: 'systemd-logind', MESSAGE: `Session ${session} logged out. Waiting for processes to exit.`, PRIORITY: '6' }, extra)
    emit({ _TRANSPORT: 'journal', SYSLOG_IDENTIFIER: 'systemd-logind', MESSAGE_ID: MID.sessionStop, SESSION_ID: String(session), USER_ID: user, MESSAGE: `Removed session ${session}.`, PRIORITY: '6' }, extra)
  }

  function sudo(command: string, user = r.pick(USERS)): void {
    pid = r.int(20000, 400000)
    const extra = proc('sudo', '/usr/bin/sudo', `sudo ${command}`, `session-${session}.scope`, { _PID: String(pid), _AUDIT_SESSION: String(session), _AUDIT_LOGINUID: '1000' })
    emit(syslog('sudo', 5, 10, `${user} : TTY=pts/${r.int(0, 3)} ; PWD=/home/${user} ; USER=root ; COMMAND=${command}`), extra)
    emit(syslog('sudo', 6, 10, `pam_unix(sudo:session): session opened for user root(uid=0) by ${user}(uid=1000)`), extra)
  }

  function colourful(): void {
    const message = `\u001b[0;32mINFO\u001b[0m [${new Date(Math.floor(nowUs / 1000)).toISOString()}] worker ${r.int(1, 16)}: processed ${r.int(1, 999)} jobs`
    emit(stdout('app', bytesOf(message)), proc('node', '/usr/bin/node', 'node /srv/app/worker.js', 'app-worker.service', { _PID: '1544', _UID: '1001' }))
  }

  function javaTrace(): void {
    const frames = Array.from({ length: r.int(3, 12) }, () => `\tat com.example.service.Handler.method${r.int(1, 99)}(Handler.java:${r.int(10, 900)})`).join('\n')
    const cmdline = r.chance(0.3) ? null : `/usr/bin/java -Xmx2g -jar /srv/app/app.jar --spring.profiles.active=prod`
    emit(stdout('java', `java.lang.IllegalStateException: connection pool exhausted\n${frames}`, 3), proc('java', '/usr/lib/jvm/java-17-openjdk-amd64/bin/java', '', 'app.service', { _PID: '1888', _CMDLINE: cmdline }))
  }

  function reboot(): void {
    bootId = r.hex(32)
    bootStartUs = nowUs + r.int(20_000_000, 600_000_000)
    nowUs = bootStartUs + r.int(500_000, 4_000_000)
    entriesInBoot = 0
    invocations.clear()
    emit({ _TRANSPORT: 'kernel', SYSLOG_IDENTIFIER: 'kernel', SYSLOG_FACILITY: '0', PRIORITY: '5', MESSAGE: 'Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)', _SOURCE_MONOTONIC_TIMESTAMP: '0' }, {})
    pid1('systemd 252.22-1~deb12u1 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)', { CODE_FILE: 'src/core/main.c', CODE_FUNC: 'log_execution_mode' })
  }

  // The masking story, at fixed fractions of the output: what explain must find in the haystack.
  const story: { at: number; done: boolean; run: () => void }[] = [
    { at: 0.2, done: false, run: () => sudo('/usr/bin/systemctl restart nginx.service') },
    {
      at: 0.5,
      done: false,
      run: () => {
        sudo('/usr/bin/systemctl mask --now postgresql.service', 'alice')
        emit(
          { _TRANSPORT: 'audit', _AUDIT_TYPE: '1123', _AUDIT_TYPE_NAME: 'USER_CMD', _AUDIT_ID: String(r.int(1000, 99999)), AUDIT_FIELD_CWD: '/home/alice', AUDIT_FIELD_CMD: 'systemctl mask --now postgresql.service', AUDIT_FIELD_TERMINAL: 'pts/0', AUDIT_FIELD_RES: 'success', MESSAGE: `USER_CMD pid=${pid} uid=1000 auid=1000 ses=${session} subj=unconfined msg='cwd="/home/alice" cmd=73797374656D63746C206D61736B202D2D6E6F7720706F737467726573716C2E73657276696365 exe="/usr/bin/sudo" terminal=pts/0 res=success'` },
          { _PID: String(pid), _UID: '1000', _AUDIT_LOGINUID: '1000', _AUDIT_SESSION: String(session) },
        )
        pid1('Reloading.', { CODE_FILE: 'src/core/manager.c', CODE_FUNC: 'manager_reload' })
        pid1('Stopped postgresql.service - PostgreSQL RDBMS.', { MESSAGE_ID: '9d1aaa27d60140bd96365438aad20286', UNIT: 'postgresql.service', JOB_TYPE: 'stop', JOB_RESULT: 'done' })
      },
    },
    {
      at: 0.7,
      done: false,
      run: () => {
        emit(stdout('deploy.sh', 'Failed to start postgresql.service: Unit postgresql.service is masked.', 3), proc('systemctl', '/usr/bin/systemctl', 'systemctl start postgresql', 'deploy.service', { _PID: String(r.int(20000, 90000)) }))
        pid1('deploy.service: Main process exited, code=exited, status=1/FAILURE', { MESSAGE_ID: 'd9b373ed55a64feb8242e02dbe79a49c', UNIT: 'deploy.service', UNIT_RESULT: 'exit-code' })
      },
    },
    {
      at: 0.8,
      done: false,
      run: () =>
        emit(stdout('cloud-init', 'Created symlink /etc/systemd/system/cups.service → /dev/null.'), proc('systemctl', '/usr/bin/systemctl', 'systemctl mask cups.service', 'cloud-final.service', { _PID: String(r.int(20000, 90000)) })),
    },
  ]

  const sources: [number, () => void][] = [
    [28, nginx],
    [14, sshd],
    [10, kernel],
    [1.2, timerJob],
    [6, cron],
    [12, containerd],
    [4, postfix],
    [8, misc],
    [0.15, logind],
    [0.15, () => sudo(r.pick(['/usr/bin/apt update', '/usr/bin/journalctl -u nginx', '/usr/bin/systemctl status nginx', '/usr/bin/tail -f /var/log/syslog']))],
    [0.5, colourful],
    [0.5, javaTrace],
  ]
  const totalWeight = sources.reduce((s, [w]) => s + w, 0)
  const pickSource = (): (() => void) => {
    let x = r.next() * totalWeight
    for (const [w, f] of sources) if ((x -= w) < 0) return f
    return sources[0]![1]
  }

  return new Promise((resolve, reject) => {
    out.on('error', reject)
    const pump = (): void => {
      while (written < options.bytes) {
        for (const s of story) {
          if (!s.done && written >= s.at * options.bytes) {
            s.done = true
            s.run()
          }
        }
        if (entriesInBoot > 150_000) reboot()
        pickSource()()
        if (buffered >= 1 << 20) {
          const chunk = buffer.join('')
          buffer = []
          buffered = 0
          written += Buffer.byteLength(chunk)
          if (!out.write(chunk)) {
            out.once('drain', pump)
            return
          }
        }
      }
      if (buffer.length > 0) {
        const chunk = buffer.join('')
        written += Buffer.byteLength(chunk)
        out.write(chunk)
      }
      out.end(() => resolve({ entries, bytes: written }))
    }
    pump()
  })
}

function argOf(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(`--${name}`)
  return at === -1 ? fallback : (args[at + 1] ?? fallback)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2)
  const path = args[0]
  if (path === undefined || path.startsWith('--')) {
    console.error('usage: npx tsx bench/generate-journal.ts OUT.json [--mb 1024] [--seed 1] [--host web1]')
    process.exit(2)
  }
  const started = Date.now()
  const result = await writeJournalJson(path, {
    bytes: Number(argOf(args, 'mb', '1024')) * 1024 * 1024,
    seed: Number(argOf(args, 'seed', '1')),
    host: argOf(args, 'host', 'web1'),
  })
  console.log(`${path}: ${result.entries} entries, ${(result.bytes / 1e6).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
