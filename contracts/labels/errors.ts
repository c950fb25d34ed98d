/** Registered errors of the labels module (codespace "labels"). */
import { registerError } from "../../chain/errors/codes.js";

export const LabelsErrors = {
  InvalidField: registerError("labels", 2, "invalid field"),
  InvalidSubject: registerError("labels", 3, "invalid subject"),
  UnknownSubject: registerError("labels", 4, "subject not found"),
  NotModerator: registerError("labels", 5, "issuer lacks the moderate capability for this subject"),
  NotLabeler: registerError("labels", 6, "only labelers may label accounts"),
  InvalidExpiry: registerError("labels", 7, "invalid expiry"),
  LabelNotFound: registerError("labels", 8, "no such label in force on this subject"),
  TooManyLabels: registerError("labels", 9, "subject has the maximum number of labels"),
  InvalidAuthority: registerError("labels", 10, "invalid authority"),
  InvalidParams: registerError("labels", 11, "invalid params"),
  AgentNotPermitted: registerError(
    "labels",
    12,
    "the agent's owner has not granted it the moderate capability",
  ),
} as const;
