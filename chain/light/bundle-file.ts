/** Reads a proof bundle file someone handed over: size-capped, JSON, each failure with its own code. */
import { statSync } from "node:fs";
import { readTextCapped } from "../config/config.js";

/** A bundle rooted at genesis holds a few light blocks; 16 MiB is thousands of them. */
export const MAX_PROOF_FILE_BYTES = 16 << 20;

export type BundleFileErrorCode = "BUNDLE_UNREADABLE" | "BUNDLE_TOO_LARGE" | "BUNDLE_INVALID";

export class BundleFileError extends Error {
  override readonly name = "BundleFileError";
  constructor(
    readonly code: BundleFileErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function readProofBundleFile(path: string, maxBytes = MAX_PROOF_FILE_BYTES): unknown {
  let size: number | undefined;
  try {
    size = statSync(path).size;
  } catch {
    // readTextCapped names the reason (missing, unreadable).
  }
  if (size !== undefined && size > maxBytes)
    throw new BundleFileError(
      "BUNDLE_TOO_LARGE",
      `${path} is ${size} bytes, more than the ${maxBytes} a bundle may have`,
    );
  const read = readTextCapped(path, maxBytes);
  if ("problem" in read) throw new BundleFileError("BUNDLE_UNREADABLE", read.problem);
  try {
    return JSON.parse(read.text);
  } catch {
    throw new BundleFileError("BUNDLE_INVALID", `${path} is not valid JSON`);
  }
}
