/** A real pino logger whose JSON lines a test reads back (which warnings or errors a component logged). */
import { Writable } from "node:stream";
import { type Logger, pino } from "pino";

export function capturingLogger(level: "debug" | "info" | "warn" | "error"): {
  logger: Logger;
  lines: string[];
} {
  const lines: string[] = [];
  const logger = pino(
    { level },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    }),
  );
  return { logger, lines };
}
