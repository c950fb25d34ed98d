/**
 * `vivim mcp-keys create`: the owner proves control of their identity by holding its key in the
 * node's keyring (unlocking it with the passphrase for the `file` backend), and may bind a key to
 * themselves or to one of their own agents — the chain says whose agent it is. The node signs for
 * the bound identity when its keyring also holds that identity's key; otherwise the key works in
 * unsigned mode (writes return txs for the client to sign).
 */
import type { Keyring } from "../../chain/keys/keyring.js";
import { QueryAgentByNameRequest, QueryAgentByNameResponse } from "../../contracts/identity/query.js";
import type { Agent } from "../../contracts/identity/records.js";
import type { ChainReader } from "../chain/chain-reader.js";
import { resolveIdentity } from "../context.js";
import { McpToolError } from "../errors.js";
import type { McpKeyInfo, McpKeyStore } from "./key-store.js";
import type { Scope } from "./scopes.js";

export interface IssueKeyRequest {
  /** The owner's keyring key name. */
  readonly ownerKey: string;
  /** Local agent name (`scout` for @alice/scout); absent = the owner's own identity. */
  readonly agent?: string;
  readonly scopes: readonly Scope[];
  readonly label?: string;
  /** Never let the node sign, even when it holds the key. */
  readonly unsigned?: boolean;
}

export class IssueKeyError extends Error {
  constructor(
    readonly code: "NOT_REGISTERED" | "NOT_AN_AGENT" | "NOT_OWNER",
    message: string,
  ) {
    super(message);
    this.name = "IssueKeyError";
  }
}

export async function issueMcpKey(
  deps: { keyring: Keyring; reader: ChainReader; store: McpKeyStore },
  req: IssueKeyRequest,
): Promise<{ key: string; info: McpKeyInfo }> {
  // signerFor unlocks the key: holding (and unlocking) it is the owner's proof of control.
  const [ownerAccount] = await (await deps.keyring.signerFor(req.ownerKey)).getAccounts();
  const owner = ownerAccount!.address;
  const ownerId = await resolveIdentity(deps.reader, owner);
  if (ownerId.kind !== "human") {
    throw new IssueKeyError(
      "NOT_REGISTERED",
      `${owner} (key "${req.ownerKey}") has no profile; register one first`,
    );
  }
  let address = owner;
  let keyName: string | undefined = req.ownerKey;
  if (req.agent !== undefined) {
    const name = `${ownerId.name}/${req.agent.toLowerCase()}`;
    const agent = await agentByName(deps.reader, name);
    if (!agent) throw new IssueKeyError("NOT_AN_AGENT", `no agent ${name} on chain`);
    if (agent.owner !== owner)
      throw new IssueKeyError("NOT_OWNER", `${name} is not owned by ${ownerId.name}`);
    address = agent.address;
    keyName = (await deps.keyring.list()).find((k) => k.address === address)?.name;
  }
  const held = (await deps.keyring.list()).find((k) => k.address === address);
  return deps.store.create({
    ...(held ? { pubkey: held.pubkey } : {}),
    label: req.label ?? `${req.agent ? `${ownerId.name}/${req.agent}` : ownerId.name}`,
    address,
    owner,
    scopes: [...req.scopes],
    ...(keyName && !req.unsigned ? { keyName } : {}),
  });
}

async function agentByName(reader: ChainReader, name: string): Promise<Agent | undefined> {
  try {
    return (
      await reader.query(
        "/vivim.identity.v1.Query/AgentByName",
        QueryAgentByNameRequest,
        { name },
        QueryAgentByNameResponse,
      )
    ).agent;
  } catch (e) {
    if (e instanceof McpToolError && e.code === "NOT_FOUND") return undefined;
    throw e;
  }
}
