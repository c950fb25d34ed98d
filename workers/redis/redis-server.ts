/**
 * A private `redis-server` process for the workers' queues: bound to 127.0.0.1 on a given port,
 * its data (append-only file) in a given directory, `maxmemory-policy noeviction` (BullMQ's locks
 * have TTLs and must never be evicted), not daemonized, so it stops with its owner. `start()`
 * resolves once it answers PING; `stop()` asks it to shut down (SIGTERM: Redis flushes the AOF and
 * exits) and waits for the exit.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import type { Logger } from "pino";
import { WorkersError } from "../errors.js";

export const REDIS_INSTALL_COMMAND = "apt-get install -y redis-server";

export interface RedisServerOptions {
  /** Where the append-only file (and redis.log) live; created when missing. */
  readonly dataDir: string;
  readonly port: number;
  /** The server binary; default `redis-server` from PATH. */
  readonly binary?: string;
  readonly logger?: Logger;
  /** How long `start()` waits for PING; default 10 s. */
  readonly startTimeoutMs?: number;
}

/** One RESP round trip (`PING` → `+PONG`) over a plain socket: true when the server answers. */
export function pingRedis(port: number, host = "127.0.0.1", timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    let reply = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString("latin1");
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
    socket.on("error", () => done(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RedisServer {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;
  private readonly logFile: string;

  constructor(private readonly opts: RedisServerOptions) {
    this.logFile = path.join(opts.dataDir, "redis.log");
  }

  get url(): string {
    return `redis://127.0.0.1:${this.opts.port}`;
  }

  get port(): number {
    return this.opts.port;
  }

  get running(): boolean {
    const c = this.child;
    return c !== undefined && c.exitCode === null && c.signalCode === null;
  }

  /** The server's arguments: everything on the command line, no config file. */
  args(): string[] {
    return [
      "--port",
      String(this.opts.port),
      "--bind",
      "127.0.0.1",
      "--dir",
      path.resolve(this.opts.dataDir),
      "--appendonly",
      "yes",
      "--appendfsync",
      "everysec",
      "--maxmemory-policy",
      "noeviction",
      "--daemonize",
      "no",
      "--save",
      "",
      "--logfile",
      "",
    ];
  }

  async start(): Promise<void> {
    if (this.running) return;
    const log = this.opts.logger;
    mkdirSync(this.opts.dataDir, { recursive: true });
    if (await pingRedis(this.opts.port)) {
      throw new WorkersError(
        "REDIS_PORT_IN_USE",
        `something already answers Redis PING on 127.0.0.1:${this.opts.port}; stop it or set REDIS_URL to use it`,
      );
    }
    const binary = this.opts.binary ?? "redis-server";
    const out = createWriteStream(this.logFile, { flags: "a" });
    const child = spawn(binary, this.args(), { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    const spawnError = new Promise<NodeJS.ErrnoException>((resolve) => child.once("error", resolve));
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    const deadline = Date.now() + (this.opts.startTimeoutMs ?? 10_000);
    while (Date.now() < deadline) {
      const failed = await Promise.race([spawnError, sleep(50).then(() => undefined)]);
      if (failed) {
        this.child = undefined;
        if (failed.code === "ENOENT") {
          throw new WorkersError(
            "REDIS_NOT_INSTALLED",
            `${binary} was not found: install it with \`${REDIS_INSTALL_COMMAND}\` (or set REDIS_URL to a Redis server to use)`,
          );
        }
        throw new WorkersError("REDIS_START_FAILED", `could not run ${binary}: ${failed.message}`);
      }
      if (child.exitCode !== null || child.signalCode !== null) {
        this.child = undefined;
        throw new WorkersError(
          "REDIS_START_FAILED",
          `redis-server exited with ${child.exitCode ?? child.signalCode} while starting: ${this.logTail()}`,
        );
      }
      if (await pingRedis(this.opts.port)) {
        log?.info({ port: this.opts.port, dataDir: this.opts.dataDir, pid: child.pid }, "redis-server ready");
        return;
      }
    }
    await this.stop();
    throw new WorkersError(
      "REDIS_START_FAILED",
      `redis-server did not answer PING on port ${this.opts.port} within the timeout; see ${this.logFile}`,
    );
  }

  /** SIGTERM (Redis's clean shutdown: it fsyncs the AOF), SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 10_000): Promise<void> {
    const child = this.child;
    const exited = this.exited;
    this.child = undefined;
    if (!child || !exited || child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    this.opts.logger?.info({ port: this.opts.port, code }, "redis-server stopped");
  }

  private logTail(): string {
    try {
      return readFileSync(this.logFile, "utf8").trim().split("\n").slice(-5).join(" | ");
    } catch {
      return `(no log at ${this.logFile})`;
    }
  }
}
