// CPU time from /proc (Linux): what the benches charge to a process or one of its threads.
import { readdirSync, readFileSync } from "node:fs";

// USER_HZ, the unit of /proc/<pid>/stat times: 100 on every Linux ABI Node supports.
const CLOCK_TICKS_PER_SEC = 100;

/** CPU time (user + system, ms) a process or thread has used so far, from its stat file; NaN elsewhere. */
export function ticksMsOf(statFile) {
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const stat = readFileSync(statFile, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SEC;
  } catch {
    return Number.NaN;
  }
}

/** CPU ms each thread of this process has used so far, by thread id. */
export function threadCpuMs() {
  const out = {};
  for (const tid of readdirSync("/proc/self/task")) out[tid] = ticksMsOf(`/proc/self/task/${tid}/stat`);
  return out;
}
