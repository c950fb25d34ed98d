/** Labels REST routes (`/vivim/labels/v1/...`) over the module's gRPC-style queries. */
import {
  QueryLabelsByIssuerRequest,
  QueryLabelsByIssuerResponse,
  QueryLabelsOfRequest,
  QueryLabelsOfResponse,
  QueryLabelsParamsRequest,
  QueryLabelsParamsResponse,
} from "../../../contracts/labels/query.js";
import { badRequest } from "../http.js";
import { addressParam, pageRequestParam } from "../params.js";
import type { Route } from "../router.js";
import { moduleQueryRoute } from "./module-query.js";

const BASE = "^\\/vivim\\/labels\\/v1";
const Q = "/vivim.labels.v1.Query";
const pattern = (rest: string) => new RegExp(`${BASE}${rest}$`);

function boolParam(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  if (v === null || v === "" || v === "false") return false;
  if (v === "true") return true;
  throw badRequest(`${name} must be true or false`);
}

export const labelsRoutes: readonly Route[] = [
  // GET /vivim/labels/v1/subjects/content:42?include_expired=true (the subject percent-encoded or not)
  moduleQueryRoute({
    name: "labels.labels_of",
    pattern: pattern("\\/subjects\\/([^/]+)"),
    path: `${Q}/LabelsOf`,
    request: QueryLabelsOfRequest,
    response: QueryLabelsOfResponse,
    build: (req) => ({
      subject: req.params[0] ?? "",
      includeExpired: boolParam(req.query, "include_expired"),
      pagination: pageRequestParam(req.query),
    }),
  }),
  moduleQueryRoute({
    name: "labels.by_issuer",
    pattern: pattern("\\/issuers\\/([^/]+)"),
    path: `${Q}/LabelsByIssuer`,
    request: QueryLabelsByIssuerRequest,
    response: QueryLabelsByIssuerResponse,
    build: (req) => ({ issuer: addressParam(req.params[0] ?? ""), pagination: pageRequestParam(req.query) }),
  }),
  moduleQueryRoute({
    name: "labels.params",
    pattern: pattern("\\/params"),
    path: `${Q}/Params`,
    request: QueryLabelsParamsRequest,
    response: QueryLabelsParamsResponse,
    build: () => ({}),
  }),
];
