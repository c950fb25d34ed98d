/** Registered errors of the anchor module (codespace "anchor"). */
import { registerError } from "../../chain/errors/codes.js";

export const AnchorErrors = {
  InvalidField: registerError("anchor", 2, "invalid field"),
  CheckpointConflict: registerError(
    "anchor",
    3,
    "a different checkpoint is already recorded for this chain and height",
  ),
  AnchorConflict: registerError(
    "anchor",
    4,
    "a different anchor is already recorded for this signer and height",
  ),
} as const;
