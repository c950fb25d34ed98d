/**
 * What `vivim/client` exports from the labels module: Msgs, responses, query types and records.
 * Names are chosen not to clash with other modules'.
 */
export { LabelsErrors } from "./errors.js";
export { LabelsEvents } from "./events.js";
export { type ActiveLabel, accountSubject, communitySubject, contentSubject } from "./lookup.js";
export {
  QueryLabelsByIssuerRequest,
  QueryLabelsByIssuerResponse,
  QueryLabelsOfRequest,
  QueryLabelsOfResponse,
  QueryLabelsParamsRequest,
  QueryLabelsParamsResponse,
} from "./query.js";
export { Label, LabelsParams } from "./records.js";
export {
  MsgCreateLabel,
  MsgCreateLabelResponse,
  MsgUpdateLabelsParams,
  MsgUpdateLabelsParamsResponse,
} from "./tx.js";
