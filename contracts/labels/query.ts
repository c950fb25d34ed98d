/** Queries of the labels module (proto/vivim/labels/v1/query.proto). */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError, isCodedError, SdkErrors } from "../../chain/errors/codes.js";
import { defineQuery } from "../lib/define.js";
import { paginate } from "../lib/pagination.js";
import { PageRequest, PageResponse } from "../lib/proto-common.js";
import type { QueryContext } from "../types.js";
import { getLabel } from "./keeper.js";
import { idFromIndexKey, LabelKeys } from "./keys.js";
import { activeLabels } from "./lookup.js";
import { getLabelsParams } from "./params.js";
import { Label, LabelsParams } from "./records.js";
import { parseSubject } from "./subject.js";

export const DEFAULT_PAGE = 20n;
export const MAX_PAGE = 100n;

export interface QueryLabelsOfRequest {
  subject: string;
  /**
   * false: the labels in force now (unpaged; at most max_labels_per_subject). true: the subject's
   * whole history, newest first and paged: expired labels, labels taken out of force
   * (`removed_by` ≠ 0) and the negations themselves included.
   */
  includeExpired: boolean;
  pagination: PageRequest | undefined;
}
export const QueryLabelsOfRequest = defineMessage<QueryLabelsOfRequest>(
  "vivim.labels.v1.QueryLabelsOfRequest",
  [
    { no: 1, name: "subject", kind: "string" },
    { no: 2, name: "includeExpired", kind: "bool" },
    { no: 3, name: "pagination", kind: "message", type: () => PageRequest },
  ],
);

export interface QueryLabelsOfResponse {
  labels: Label[];
  pagination: PageResponse | undefined;
}
export const QueryLabelsOfResponse = defineMessage<QueryLabelsOfResponse>(
  "vivim.labels.v1.QueryLabelsOfResponse",
  [
    { no: 1, name: "labels", kind: "message", type: () => Label, repeated: true },
    { no: 2, name: "pagination", kind: "message", type: () => PageResponse },
  ],
);

export interface QueryLabelsByIssuerRequest {
  issuer: string;
  pagination: PageRequest | undefined;
}
export const QueryLabelsByIssuerRequest = defineMessage<QueryLabelsByIssuerRequest>(
  "vivim.labels.v1.QueryLabelsByIssuerRequest",
  [
    { no: 1, name: "issuer", kind: "string" },
    { no: 2, name: "pagination", kind: "message", type: () => PageRequest },
  ],
);

export interface QueryLabelsByIssuerResponse {
  labels: Label[];
  pagination: PageResponse | undefined;
}
export const QueryLabelsByIssuerResponse = defineMessage<QueryLabelsByIssuerResponse>(
  "vivim.labels.v1.QueryLabelsByIssuerResponse",
  [
    { no: 1, name: "labels", kind: "message", type: () => Label, repeated: true },
    { no: 2, name: "pagination", kind: "message", type: () => PageResponse },
  ],
);

export type QueryLabelsParamsRequest = Record<string, never>;
export const QueryLabelsParamsRequest = defineMessage<QueryLabelsParamsRequest>(
  "vivim.labels.v1.QueryParamsRequest",
  [],
);

export interface QueryLabelsParamsResponse {
  params: LabelsParams | undefined;
}
export const QueryLabelsParamsResponse = defineMessage<QueryLabelsParamsResponse>(
  "vivim.labels.v1.QueryParamsResponse",
  [{ no: 1, name: "params", kind: "message", type: () => LabelsParams }],
);

/** A page request bounded as the social queries are: default 20, at most 100, key paging only. */
function boundedPage(page: PageRequest | undefined): PageRequest {
  const limit = page?.limit ? page.limit : DEFAULT_PAGE;
  if (limit > MAX_PAGE)
    throw new CodedError(SdkErrors.InvalidRequest, `pagination limit must be at most ${MAX_PAGE}`);
  if (page?.offset) throw new CodedError(SdkErrors.InvalidRequest, "use pagination.key, not offset");
  if (page?.reverse)
    throw new CodedError(SdkErrors.InvalidRequest, "lists are newest first; reverse is not supported");
  return {
    key: page?.key ?? new Uint8Array(),
    offset: 0n,
    limit,
    countTotal: false,
    reverse: false,
  };
}

async function labelsAt(ctx: QueryContext, prefix: Uint8Array, page: PageRequest | undefined) {
  const { entries, pagination } = await paginate(ctx, prefix, boundedPage(page));
  const labels: Label[] = [];
  for (const [k] of entries) {
    const label = getLabel(ctx, idFromIndexKey(k));
    if (label) labels.push(label);
  }
  return { labels, pagination };
}

export const queryLabelsOf = defineQuery(QueryLabelsOfRequest, QueryLabelsOfResponse, async (ctx, req) => {
  try {
    parseSubject(req.subject);
  } catch (err) {
    if (isCodedError(err)) throw new CodedError(SdkErrors.InvalidRequest, err.log);
    throw err;
  }
  if (req.includeExpired) return labelsAt(ctx, LabelKeys.bySubjectPrefix(req.subject), req.pagination);
  const labels: Label[] = [];
  for (const a of activeLabels(ctx, req.subject, ctx.block.time.seconds)) {
    const label = getLabel(ctx, a.labelId);
    if (label) labels.push(label);
  }
  return { labels, pagination: { nextKey: new Uint8Array(), total: BigInt(labels.length) } };
});

export const queryLabelsByIssuer = defineQuery(
  QueryLabelsByIssuerRequest,
  QueryLabelsByIssuerResponse,
  async (ctx, req) => {
    try {
      decodeAddress(req.issuer);
    } catch {
      throw new CodedError(SdkErrors.InvalidRequest, "issuer is not a valid address");
    }
    return labelsAt(ctx, LabelKeys.byIssuerPrefix(req.issuer), req.pagination);
  },
);

export const queryLabelsParams = defineQuery(QueryLabelsParamsRequest, QueryLabelsParamsResponse, (ctx) => ({
  params: getLabelsParams(ctx),
}));
