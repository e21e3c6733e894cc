/** apt's log time and transaction id, shared by history.log and term.log (parsers/apt-*.ts). */
import type { WallTime } from '../time.ts'

// 2019-07-10  16:38:08   (apt writes two spaces between date and time: strftime "%F  %T"; one is tolerated)
const APT_TIME = /^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2}) {1,2}(?<h>\d{2}):(?<mi>\d{2}):(?<s>\d{2})$/

/** An apt log time (`YYYY-MM-DD  HH:MM:SS`, local) checked for range; null when not one. */
export function parseAptTime(text: string): WallTime | null {
  const g = APT_TIME.exec(text)?.groups
  if (!g) return null
  const wall: WallTime = {
    year: Number(g['y']),
    month: Number(g['mo']),
    day: Number(g['d']),
    hour: Number(g['h']),
    minute: Number(g['mi']),
    second: Number(g['s']),
  }
  const check = new Date(Date.UTC(wall.year, wall.month - 1, wall.day))
  if (check.getUTCMonth() !== wall.month - 1 || check.getUTCDate() !== wall.day) return null
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 60) return null
  return wall
}

/** `apt@2019-07-10T16:38:08`: history.log and term.log blocks of one apt run share it (both use OpenLog's time). */
export function aptTransactionId(wall: WallTime): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0')
  return `apt@${p(wall.year, 4)}-${p(wall.month)}-${p(wall.day)}T${p(wall.hour)}:${p(wall.minute)}:${p(wall.second)}`
}
