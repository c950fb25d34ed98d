/**
 * Store layout of the workers module; every key starts with `ModulePrefix.workers`:
 *
 *   00 → Params · 01 → PausedWorker (worker "": the global pause; absent = running)
 *   02 → PausedWorkers (the workers paused one by one, sorted by name, at most 64)
 *
 * Three fixed keys, so a pure reader gets the whole pause state without scanning.
 */
import { ModulePrefix } from "../lib/store.js";

const P = ModulePrefix.workers;

export const WorkersKeys = {
  params: () => new Uint8Array([P, 0x00]),
  global: () => new Uint8Array([P, 0x01]),
  paused: () => new Uint8Array([P, 0x02]),
};
