/**
 * A fresh LevelDB `Database` in its own temporary directory for every test of the describe block
 * that calls this, closed and removed after each test.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach } from "vitest";
import { Database } from "../../chain/db/database.js";

export function useTempDatabase(prefix: string): { readonly db: Database } {
  let dir: string | undefined;
  let current: Database | undefined;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), prefix));
    current = new Database(dir);
    await current.open();
  });
  afterEach(async () => {
    await current?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    current = undefined;
  });
  return {
    get db(): Database {
      if (!current) throw new Error("useTempDatabase: the database exists only inside a test");
      return current;
    },
  };
}
