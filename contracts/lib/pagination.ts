/** Cosmos `PageRequest` over a key prefix: key-based paging (offset as a bounded fallback). */
import type { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { CodedError, SdkErrors } from "../../chain/errors/codes.js";
import type { QueryContext } from "../types.js";
import { key } from "./store.js";

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const MAX_OFFSET = 10_000;

export async function paginate(
  ctx: QueryContext,
  prefix: Uint8Array,
  page: PageRequest | undefined,
): Promise<{ entries: Array<[Uint8Array, Uint8Array]>; pagination: PageResponse }> {
  const limit = page?.limit ? Number(page.limit) : DEFAULT_LIMIT;
  const offset = page?.offset ? Number(page.offset) : 0;
  if (limit > MAX_LIMIT)
    throw new CodedError(SdkErrors.InvalidRequest, `pagination limit must be at most ${MAX_LIMIT}`);
  if (offset > MAX_OFFSET)
    throw new CodedError(SdkErrors.InvalidRequest, `pagination offset must be at most ${MAX_OFFSET}`);
  if (page?.reverse) throw new CodedError(SdkErrors.NotSupported, "reverse pagination");
  const after = page?.key && page.key.length > 0 ? key(prefix, page.key) : undefined;
  const rows = await ctx.range(prefix, { limit: offset + limit + 1, ...(after ? { after } : {}) });
  const window = rows.slice(offset, offset + limit);
  const more = rows.length > offset + limit;
  const last = window[window.length - 1];
  return {
    entries: window,
    pagination: {
      nextKey: more && last ? last[0].subarray(prefix.length) : new Uint8Array(),
      total: page?.countTotal ? BigInt(rows.length) : 0n,
    },
  };
}
