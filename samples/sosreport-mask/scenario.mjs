// The story of this sample (see README.md): alice masks nginx with sudo on web1 (Debian 12, systemd 252);
// a deploy job later fails on it; days later support collects a sosreport. make.sh turns this journal into
// what sos keeps of it: journalctl's text output (no binary journal without --all-logs).
export const host = 'web1'
export const machineId = '5f1c0d8e2a7b4c39a0e6b1d2c3f4a5b6'
export const boots = { before: '3d0f7a2e9c1b4e5fa6b7c8d9e0f1a2b3', after: '8e7d6c5b4a39281706f5e4d3c2b1a098' }

const pid1 = { _PID: '1', _COMM: 'systemd', _EXE: '/lib/systemd/systemd', SYSLOG_IDENTIFIER: 'systemd', _TRANSPORT: 'journal', _SYSTEMD_UNIT: 'init.scope', SYSLOG_FACILITY: '3', PRIORITY: '6' }
const job = (id, unit, type, result, message, extra = {}) => ({ ...pid1, MESSAGE_ID: id, UNIT: unit, JOB_TYPE: type, JOB_RESULT: result, MESSAGE: message, ...extra })
const STARTED = '39f53479d3a045ac8e11786248231fbf'
const STOPPED = '9d1aaa27d60140bd96365438aad20286'
const FAILED_START = 'be02cf6855d2428ba40df7e9d022f03d'
const UNIT_FAILED = 'd9b373ed55a64feb8242e02dbe79a49c'
const VERSION = 'systemd 252.22-1~deb12u1 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)'
const noise = (comm, pid, message) => ({ _PID: pid, _COMM: comm, SYSLOG_IDENTIFIER: comm, _TRANSPORT: 'syslog', PRIORITY: '6', MESSAGE: message })

export const entries = [
  { at: '2024-03-01T08:14:02.118204Z', boot: 'before', fields: { ...pid1, MESSAGE: VERSION } },
  { at: '2024-03-01T08:14:05.402113Z', boot: 'before', fields: job(STARTED, 'nginx.service', 'start', 'done', 'Started nginx.service - A high performance web server and a reverse proxy server.') },
  { at: '2024-03-01T09:58:40.771020Z', boot: 'before', fields: noise('sshd', '2290', 'Accepted publickey for alice from 192.0.2.10 port 51514 ssh2: ED25519 SHA256:q9Xv0g3m1c4Yk8Vb7Zr2Lw5Nt6Hp0Jd3Ss1Aa2Bb3Cc') },
  { at: '2024-03-01T09:58:40.912877Z', boot: 'before', fields: { _PID: '611', _COMM: 'systemd-logind', SYSLOG_IDENTIFIER: 'systemd-logind', _TRANSPORT: 'journal', MESSAGE_ID: '8d45620c1a4348dbb17410da57c60c66', SESSION_ID: '3', USER_ID: 'alice', LEADER: '2290', MESSAGE: 'New session 3 of user alice.' } },
  { at: '2024-03-01T10:02:13.250871Z', boot: 'before', fields: { _PID: '2345', _UID: '1000', _COMM: 'sudo', SYSLOG_IDENTIFIER: 'sudo', _TRANSPORT: 'syslog', _SYSTEMD_UNIT: 'session-3.scope', PRIORITY: '5', MESSAGE: 'alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl mask --now nginx.service' } },
  { at: '2024-03-01T10:02:13.251902Z', boot: 'before', fields: noise('sudo', '2345', 'pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)') },
  { at: '2024-03-01T10:02:13.301602Z', boot: 'before', fields: { ...pid1, MESSAGE: 'Reloading.' } },
  { at: '2024-03-01T10:02:13.512944Z', boot: 'before', fields: job('de5b426a63be47a7b6ac3eaac82e2f6f', 'nginx.service', 'stop', 'done', 'Stopping nginx.service - A high performance web server and a reverse proxy server...') },
  { at: '2024-03-01T10:02:13.561107Z', boot: 'before', fields: { ...pid1, MESSAGE_ID: '7ad2d189f7e94e70a38c781354912448', UNIT: 'nginx.service', MESSAGE: 'nginx.service: Deactivated successfully.' } },
  { at: '2024-03-01T10:02:13.561290Z', boot: 'before', fields: job(STOPPED, 'nginx.service', 'stop', 'done', 'Stopped nginx.service - A high performance web server and a reverse proxy server.') },
  { at: '2024-03-01T10:02:13.580412Z', boot: 'before', fields: noise('sudo', '2345', 'pam_unix(sudo:session): session closed for user root') },
  { at: '2024-03-01T10:30:00.009761Z', boot: 'before', fields: job('7d4958e842da4a758f6c1cdc7b36dcc5', 'deploy.service', 'start', 'done', 'Starting deploy.service - Deploy web application...') },
  { at: '2024-03-01T10:30:04.118532Z', boot: 'before', fields: { _PID: '3120', _COMM: 'systemctl', _TRANSPORT: 'stdout', _SYSTEMD_UNIT: 'deploy.service', SYSLOG_IDENTIFIER: 'deploy.sh', PRIORITY: '6', MESSAGE: 'Failed to start nginx.service: Unit nginx.service is masked.' } },
  { at: '2024-03-01T10:30:04.120301Z', boot: 'before', fields: { ...pid1, MESSAGE_ID: UNIT_FAILED, UNIT: 'deploy.service', UNIT_RESULT: 'exit-code', MESSAGE: "deploy.service: Failed with result 'exit-code'.", PRIORITY: '4' } },
  { at: '2024-03-01T10:30:04.120559Z', boot: 'before', fields: job(FAILED_START, 'deploy.service', 'start', 'failed', 'Failed to start deploy.service - Deploy web application.', { PRIORITY: '3' }) },
  { at: '2024-03-02T06:00:11.330218Z', boot: 'after', fields: { ...pid1, MESSAGE: VERSION } },
  { at: '2024-03-02T06:00:14.002741Z', boot: 'after', fields: job(STARTED, 'ssh.service', 'start', 'done', 'Started ssh.service - OpenBSD Secure Shell server.') },
  { at: '2024-03-04T07:58:51.602113Z', boot: 'after', fields: noise('sudo', '4410', 'bob : TTY=pts/1 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/sos report --batch --case-id 01234567') },
]
