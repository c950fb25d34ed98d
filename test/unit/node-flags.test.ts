/**
 * The node's V8 flags come from one list (scripts/lib/node-flags.mjs) that the launchers pass;
 * operators who run `vivim start` directly get them from bin/vivim.js's shebang, which must carry
 * the same list, and the shebang must work on the machines we support.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NODE_V8_FLAGS } from "../../scripts/lib/node-flags.mjs";

const BIN = path.resolve("bin/vivim.js");

describe("node V8 flags", () => {
  it("bin/vivim.js's shebang carries exactly the launchers' flags", () => {
    const shebang = readFileSync(BIN, "utf8").split("\n", 1)[0]!;
    expect(shebang).toBe(`#!/usr/bin/env -S node ${NODE_V8_FLAGS.join(" ")}`);
  });

  it("the shebang runs on this system and the flags reach the process", () => {
    // `env -S` splits the shebang's arguments (GNU coreutils 8.30+); without it the CLI would not start.
    expect(execFileSync(BIN, ["--version"], { encoding: "utf8" }).trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const probe = "console.log(JSON.stringify(process.execArgv))";
    const execArgv = JSON.parse(
      execFileSync(process.execPath, [...NODE_V8_FLAGS, "-e", probe], { encoding: "utf8" }),
    );
    expect(execArgv).toEqual(expect.arrayContaining([...NODE_V8_FLAGS]));
  });
});
