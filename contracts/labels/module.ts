/**
 * The labels module: moderation labels as first-class objects, apart from the content they
 * describe (as ATproto labels are). A label says that `issuer` puts `value` (spam, nsfw,
 * misleading, ...) on a subject — a post or comment, a community or an account — until it
 * expires or is negated. Moderators (the MODERATE capability in the subject's community) label
 * content and communities; labelers named by governance label anything, accounts included.
 * Other modules read the labels in force with `activeLabels` (lookup.ts), one get per subject.
 */
import type { ContractModule } from "../types.js";
import { initLabelsGenesis, parseLabelsGenesis } from "./genesis.js";
import { msgCreateLabel } from "./msg-label.js";
import { msgUpdateLabelsParams } from "./msg-params.js";
import { queryLabelsByIssuer, queryLabelsOf, queryLabelsParams } from "./query.js";

export const labelsModule: ContractModule = {
  name: "labels",
  msgs: [msgCreateLabel, msgUpdateLabelsParams] as never[],
  queries: {
    /** The labels in force on a subject, or its whole history (paged). */
    "/vivim.labels.v1.Query/LabelsOf": queryLabelsOf,
    /** An issuer's labels and negations, newest first. */
    "/vivim.labels.v1.Query/LabelsByIssuer": queryLabelsByIssuer,
    "/vivim.labels.v1.Query/Params": queryLabelsParams,
  },
  validateGenesis(state) {
    parseLabelsGenesis(state);
  },
  initGenesis(ctx, state) {
    initLabelsGenesis(ctx, state);
  },
};
