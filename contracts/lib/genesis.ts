/** Small validators for modules' genesis sections: each failure names the offending field. */
export class GenesisFieldError extends Error {
  readonly code = "GENESIS_INVALID";
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`genesis field ${field}: ${reason}`);
    this.name = "GenesisFieldError";
  }
}

export function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new GenesisFieldError(field, "must be an object");
  }
  return value as Record<string, unknown>;
}

export function asArray(value: unknown, field: string, maxLength: number): unknown[] {
  if (!Array.isArray(value)) throw new GenesisFieldError(field, "must be an array");
  if (value.length > maxLength) throw new GenesisFieldError(field, `must have at most ${maxLength} entries`);
  return value;
}

export function asString(value: unknown, field: string): string {
  if (typeof value !== "string") throw new GenesisFieldError(field, "must be a string");
  return value;
}

/** A uint64 written as a decimal string (the Cosmos JSON convention) or a safe integer. */
export function asUint(value: unknown, field: string): bigint {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === "string" && /^(0|[1-9][0-9]{0,19})$/.test(value)) {
    const v = BigInt(value);
    if (v < 2n ** 64n) return v;
  }
  throw new GenesisFieldError(field, "must be a non-negative integer (decimal string)");
}

export function rejectUnknownKeys(
  obj: Record<string, unknown>,
  allowed: readonly string[],
  field: string,
): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw new GenesisFieldError(`${field}.${k}`, "unknown field");
  }
}

/**
 * An enum value written by name in genesis JSON, short (`PUBLIC`) or with its protobuf prefix
 * (`VISIBILITY_PUBLIC`), any case; `names` are the prefixed names by number (prefixedEnumNames).
 * The UNSPECIFIED value (0) is never accepted.
 */
export function asEnum(value: unknown, field: string, names: readonly string[], prefix: string): number {
  const text = asString(value, field).toUpperCase();
  const index = names.indexOf(text.startsWith(`${prefix}_`) ? text : `${prefix}_${text}`);
  if (index <= 0) {
    const allowed = names.slice(1).map((n) => n.slice(prefix.length + 1));
    throw new GenesisFieldError(field, `must be one of ${allowed.join(", ")}`);
  }
  return index;
}
