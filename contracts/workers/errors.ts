/** Registered errors of the workers module (codespace "workers"). */
import { registerError } from "../../chain/errors/codes.js";

export const WorkersErrors = {
  InvalidField: registerError("workers", 2, "invalid field"),
  InvalidAuthority: registerError("workers", 3, "invalid authority"),
  NoChange: registerError("workers", 4, "the target is already in the requested state"),
  TooManyPaused: registerError("workers", 5, "too many workers paused one by one"),
  InvalidParams: registerError("workers", 6, "invalid params"),
  AuditRangeNotContiguous: registerError(
    "workers",
    7,
    "an audit anchor must start right after the log's last anchored record",
  ),
} as const;
