/** Parameter parsing for RPC methods: strict, capped, and with errors that say which parameter. */
import { fromBase64, fromHex } from "../crypto/hash.js";
import { invalidParams } from "./errors.js";

export type Params = Record<string, unknown>;

export function optionalHeight(params: Params, name = "height"): bigint | undefined {
  const v = params[name];
  if (v === undefined || v === null || v === "" || v === 0 || v === "0") return undefined;
  const s = typeof v === "number" && Number.isSafeInteger(v) ? String(v) : v;
  if (typeof s !== "string" || !/^\d{1,19}$/.test(s))
    throw invalidParams(`${name} must be a positive integer`);
  return BigInt(s);
}

export function requiredString(params: Params, name: string, maxLength: number): string {
  const v = params[name];
  if (typeof v !== "string") throw invalidParams(`${name} must be a string`);
  if (v.length > maxLength) throw invalidParams(`${name} longer than ${maxLength} characters`);
  return v;
}

export function optionalBool(params: Params, name: string): boolean {
  const v = params[name];
  if (v === undefined || v === null) return false;
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "false") return v === "true";
  throw invalidParams(`${name} must be a boolean`);
}

export function optionalInt(params: Params, name: string, dflt: number, min: number, max: number): number {
  const v = params[name];
  if (v === undefined || v === null || v === "") return dflt;
  const n = typeof v === "string" && /^-?\d{1,10}$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min)
    throw invalidParams(`${name} must be an integer >= ${min}`);
  return Math.min(n, max);
}

/** Hex (the URI form, optional 0x) or base64 (the JSON form) of exactly `length` bytes. */
export function hashParam(params: Params, name: string, length = 32): Uint8Array {
  const s = requiredString(params, name, 2 + length * 2);
  const text = s.startsWith("0x") ? s.slice(2) : s;
  let bytes: Uint8Array | undefined;
  if (text.length === length * 2) {
    try {
      bytes = fromHex(text);
    } catch {
      bytes = undefined;
    }
  }
  if (!bytes) {
    try {
      bytes = fromBase64(s);
    } catch {
      throw invalidParams(`${name} must be hex or base64`);
    }
  }
  if (bytes.length !== length) throw invalidParams(`${name} must be ${length} bytes`);
  return bytes;
}

export function base64Param(params: Params, name: string, maxBytes: number): Uint8Array {
  const s = requiredString(params, name, Math.ceil((maxBytes * 4) / 3) + 4);
  try {
    return fromBase64(s);
  } catch {
    throw invalidParams(`${name} must be standard base64`);
  }
}

export function hexParam(params: Params, name: string, maxBytes: number): Uint8Array {
  const v = params[name];
  if (v === undefined || v === null || v === "") return new Uint8Array();
  const s = requiredString(params, name, maxBytes * 2 + 2);
  try {
    return fromHex(s.startsWith("0x") ? s.slice(2) : s);
  } catch {
    throw invalidParams(`${name} must be hex`);
  }
}
