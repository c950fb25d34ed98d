/**
 * Queries of the evidence module (proto/vivim/evidence/v1/query.proto), request and response codecs
 * for both sides (the node's handlers and clients):
 *
 * - `/vivim.evidence.v1.Query/AllEvidence`: every recorded offence, by validator then height.
 * - `/vivim.evidence.v1.Query/ValidatorEvidence`: one validator's offences, by height.
 *
 * Both page with cosmos `PageRequest`/`PageResponse` (key-based, `contracts/lib/pagination.ts`).
 */
import "../../chain/codec/writer-alloc.js";
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { CodedError, SdkErrors } from "../../chain/errors/codes.js";
import { paginate } from "../lib/pagination.js";
import type { QueryContext } from "../types.js";
import {
  decodeEvidenceRecord,
  EVIDENCE_PREFIX,
  type EvidenceRecord,
  validatorEvidencePrefix,
} from "./keeper.js";

export const QUERY_ALL_EVIDENCE = "/vivim.evidence.v1.Query/AllEvidence";
export const QUERY_VALIDATOR_EVIDENCE = "/vivim.evidence.v1.Query/ValidatorEvidence";

export interface QueryAllEvidenceRequest {
  readonly pagination?: PageRequest;
}

export interface QueryValidatorEvidenceRequest {
  /** Consensus address, 20 bytes. */
  readonly validatorAddress: Uint8Array;
  readonly pagination?: PageRequest;
}

export interface QueryEvidenceResponse {
  readonly evidence: readonly EvidenceRecord[];
  readonly pagination: PageResponse | undefined;
}

function writePage(w: BinaryWriter, field: number, page: PageRequest | undefined): void {
  if (page) PageRequest.encode(page, w.uint32((field << 3) | 2).fork()).ldelim();
}

export function encodeAllEvidenceRequest(req: QueryAllEvidenceRequest): Uint8Array {
  const w = BinaryWriter.create();
  writePage(w, 1, req.pagination);
  return w.finish();
}

export function decodeAllEvidenceRequest(bytes: Uint8Array): QueryAllEvidenceRequest {
  const r = new BinaryReader(bytes);
  let pagination: PageRequest | undefined;
  while (r.pos < bytes.length) {
    const tag = r.uint32();
    if (tag === 10) pagination = PageRequest.decode(r.bytes());
    else r.skipType(tag & 7);
  }
  return pagination ? { pagination } : {};
}

export function encodeValidatorEvidenceRequest(req: QueryValidatorEvidenceRequest): Uint8Array {
  const w = BinaryWriter.create();
  if (req.validatorAddress.length > 0) w.uint32(10).bytes(req.validatorAddress);
  writePage(w, 2, req.pagination);
  return w.finish();
}

export function decodeValidatorEvidenceRequest(bytes: Uint8Array): QueryValidatorEvidenceRequest {
  const r = new BinaryReader(bytes);
  let validatorAddress: Uint8Array = new Uint8Array();
  let pagination: PageRequest | undefined;
  while (r.pos < bytes.length) {
    const tag = r.uint32();
    if (tag === 10) validatorAddress = r.bytes();
    else if (tag === 18) pagination = PageRequest.decode(r.bytes());
    else r.skipType(tag & 7);
  }
  return pagination ? { validatorAddress, pagination } : { validatorAddress };
}

/** Records are stored encoded; the response carries those bytes as they are. */
function encodeResponse(records: readonly Uint8Array[], pagination: PageResponse): Uint8Array {
  const w = BinaryWriter.create();
  for (const rec of records) w.uint32(10).bytes(rec);
  PageResponse.encode(pagination, w.uint32(18).fork()).ldelim();
  return w.finish();
}

export function decodeEvidenceResponse(bytes: Uint8Array): QueryEvidenceResponse {
  const r = new BinaryReader(bytes);
  const evidence: EvidenceRecord[] = [];
  let pagination: PageResponse | undefined;
  while (r.pos < bytes.length) {
    const tag = r.uint32();
    if (tag === 10) evidence.push(decodeEvidenceRecord(r.bytes()));
    else if (tag === 18) pagination = PageResponse.decode(r.bytes());
    else r.skipType(tag & 7);
  }
  return { evidence, pagination };
}

export async function queryAllEvidence(ctx: QueryContext, request: Uint8Array): Promise<Uint8Array> {
  const req = decodeAllEvidenceRequest(request);
  const { entries, pagination } = await paginate(ctx, EVIDENCE_PREFIX, req.pagination);
  return encodeResponse(
    entries.map(([, v]) => v),
    pagination,
  );
}

export async function queryValidatorEvidence(ctx: QueryContext, request: Uint8Array): Promise<Uint8Array> {
  const req = decodeValidatorEvidenceRequest(request);
  if (req.validatorAddress.length !== 20)
    throw new CodedError(SdkErrors.InvalidAddress, "validator address must be 20 bytes");
  const prefix = validatorEvidencePrefix(req.validatorAddress);
  const { entries, pagination } = await paginate(ctx, prefix, req.pagination);
  return encodeResponse(
    entries.map(([, v]) => v),
    pagination,
  );
}
