/**
 * Structured logging (pino). Components log `logger.child({ component })` with context objects,
 * never string-formatted member text. "plain" renders the same records as one readable line each.
 */
import { Writable } from "node:stream";
import { type Logger, pino } from "pino";

export type { Logger };

function plainStream(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line) continue;
        try {
          const {
            time,
            level,
            msg,
            component,
            pid: _pid,
            hostname: _host,
            ...rest
          } = JSON.parse(line) as Record<string, unknown>;
          const fields = Object.entries(rest)
            .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
            .join(" ");
          out.write(
            `${new Date(Number(time)).toISOString()} ${String(level).toUpperCase().padEnd(5)} [${component ?? "node"}] ${msg} ${fields}\n`,
          );
        } catch {
          out.write(`${line}\n`);
        }
      }
      done();
    },
  });
}

export function createLogger(opts: { level: string; format: "json" | "plain"; name?: string }): Logger {
  const options = {
    level: opts.level,
    base: opts.name ? { name: opts.name } : {},
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return opts.format === "plain"
    ? pino(options, plainStream(process.stderr))
    : pino(options, pino.destination(2));
}

/** A logger that drops everything (library use and tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
