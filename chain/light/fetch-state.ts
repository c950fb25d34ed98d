/**
 * A state key's value and its proof from a node's `abci_query` (path `/store/state/key`,
 * prove=true), as the `state` proof of a bundle. The node answers for its latest height H, and the
 * proof is against the state root after block H — which header H's own app_hash commits to
 * (immediate execution: consensus/block-builder.ts), so H is the bundle's target. Nothing here is
 * trusted: the response is decoded strictly and the bundle is verified before it is written.
 */
import { bytesEqual, fromBase64, sha256, toHex } from "../crypto/hash.js";
import { STATE_PROOF_TYPE, STORE_QUERY_PATH } from "../execution/query.js";
import type { Json } from "../rpc/json.js";
import { decodeStateProof, type StateProof, stateProofToJSON } from "../state/tree/index.js";
import { asObject, heightOf, type RpcCaller } from "./fetch-bundle.js";
import type { ProofJson } from "./proof-bundle.js";
import { RpcClientError } from "./rpc.js";

function bad(reason: string): never {
  throw new RpcClientError("RPC_BAD_RESPONSE", `abci_query: ${reason}`);
}

function base64Field(v: Json | undefined, what: string): Uint8Array {
  if (v === null || v === undefined) return new Uint8Array();
  if (typeof v !== "string") bad(`${what} is not base64`);
  try {
    return fromBase64(v);
  } catch {
    return bad(`${what} is not base64`);
  }
}

/** The one `vivim:smt` proof op for `key` in the response. */
function stateProofOp(response: Record<string, Json>, key: Uint8Array): StateProof {
  const ops = response.proofOps === null ? undefined : asObject(response.proofOps, "abci_query.proofOps").ops;
  if (!Array.isArray(ops) || ops.length !== 1) bad("expected exactly one proof op");
  const op = asObject(ops[0], "abci_query.proofOps.ops[0]");
  if (op.type !== STATE_PROOF_TYPE)
    bad(`the proof op is ${JSON.stringify(op.type)}, not ${STATE_PROOF_TYPE}`);
  if (!bytesEqual(base64Field(op.key, "the proof op's key"), key)) bad("the proof op is for another key");
  try {
    return decodeStateProof(base64Field(op.data, "the proof op's data"));
  } catch (err) {
    return bad((err as Error).message);
  }
}

/** `key`'s value (null when absent, as its proof shows) at the node's latest height, with the proof. */
export async function fetchStateProof(
  rpc: RpcCaller,
  key: Uint8Array,
): Promise<{ height: bigint; proof: Extract<ProofJson, { kind: "state" }> }> {
  const r = asObject(
    await rpc.call("abci_query", { path: STORE_QUERY_PATH, data: toHex(key), prove: true }),
    "abci_query",
  );
  const response = asObject(r.response, "abci_query.response");
  if (response.code !== 0) {
    const log = typeof response.log === "string" ? response.log.slice(0, 200) : "";
    throw new RpcClientError("RPC_ERROR", `abci_query failed with code ${String(response.code)}: ${log}`);
  }
  const height = BigInt(heightOf(response.height, "abci_query"));
  const proof = stateProofOp(response, key);
  // The store answers an absent key with an empty value: the proof, not the value, says which it is.
  const present = proof.leaf !== null && bytesEqual(proof.leaf.keyHash, sha256(key));
  const value = base64Field(response.value, "the value");
  if (!present && value.length > 0) bad("a value for a key its proof shows absent");
  return {
    height,
    proof: {
      kind: "state",
      height: height.toString(),
      key: toHex(key),
      value: present ? toHex(value) : null,
      proof: stateProofToJSON(proof),
    },
  };
}
