/** Stateless field checks of the labels Msgs. */
import { CodedError } from "../../chain/errors/codes.js";
import { LabelsErrors } from "./errors.js";

export const VALUE_PATTERN = /^[a-z0-9-]{1,32}$/;
export const MAX_REASON = 280;

export function checkValue(value: string): void {
  if (!VALUE_PATTERN.test(value))
    throw new CodedError(LabelsErrors.InvalidField, "value must match [a-z0-9-]{1,32}");
}

/** Length in Unicode code points. */
function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export function checkReason(reason: string): void {
  if (reason.length > 2 * MAX_REASON || charLength(reason) > MAX_REASON)
    throw new CodedError(LabelsErrors.InvalidField, `reason longer than ${MAX_REASON} characters`);
}
