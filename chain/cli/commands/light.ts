/**
 * `vivim light verify-event <proof.json>` (or `verify`): checks a proof bundle (`vivim export proof`)
 * with no network — the headers by their commits and validator-set changes, then the Merkle proof
 * under the verified header (a state proof under its app_hash) — and prints what was proven, or one coded failure line. The root it trusts is
 * the genesis or header given here; without one, only the bundle's own root vouches (it says so).
 * With `--anchor-rpc` it also asks another chain (cosmjs, chain/anchor/check.ts) whether the
 * bundle's last header — the proven one, or one hash-linked to it — was anchored there.
 *
 * `vivim light sync --from <rpc> --genesis genesis.json [--to H] [--sequential]`: a light client's
 * catch-up. Trusting only the genesis validators, it verifies the chain's first block, then the
 * header at H (the latest by default) by skipping verification with bisection (chain/light/
 * skipping.ts), fetching light blocks from a node it does not trust. It prints the verified
 * header's hash and app hash, the heights it had to verify and the signatures it checked.
 */
import { Command, Option } from "commander";
import { findAnchor } from "../../anchor/check.js";
import { loadGenesis } from "../../config/genesis.js";
import { blockHash } from "../../consensus/block-builder.js";
import { toHexUpper } from "../../crypto/hash.js";
import { readProofBundleFile } from "../../light/bundle-file.js";
import { fetchLightBlock } from "../../light/fetch-bundle.js";
import { RpcClient } from "../../light/rpc.js";
import { verifyFromGenesis, verifySequential, verifyToHeight } from "../../light/skipping.js";
import { validatorsFromGenesis } from "../../light/trusted.js";
import { type ProofVerification, type TrustedRoot, verifyProofBundle } from "../../light/verify-proof.js";
import { timestampToRfc3339 } from "../../types/timestamp.js";
import { CliError, fail, nodeUrl, type OutputFormat, outputOption, print } from "./output.js";

interface SyncOpts {
  from: string;
  genesis: string;
  to?: string;
  sequential?: boolean;
  output: OutputFormat;
}

async function sync(o: SyncOpts) {
  const genesis = loadGenesis(o.genesis, { validateAppState: () => {} });
  const chainId = genesis.chain_id;
  const rpc = new RpcClient(nodeUrl(o.from));
  const status = (await rpc.call("status")) as { sync_info?: { latest_block_height?: string } };
  const latest = BigInt(status.sync_info?.latest_block_height ?? "0");
  if (o.to !== undefined && !/^\d{1,20}$/.test(o.to))
    throw new CliError("INVALID_ARGS", "--to must be a height");
  const target = o.to === undefined ? latest : BigInt(o.to);
  const first = BigInt(genesis.initial_height ?? "1");
  if (target < first) throw new CliError("INVALID_ARGS", `the chain starts at height ${first}`);
  if (target > latest) throw new CliError("INVALID_ARGS", `the node's latest height is ${latest}`);
  const started = performance.now();
  let fetched = 0;
  const fetch = (h: bigint) => {
    fetched += 1;
    return fetchLightBlock(rpc, h);
  };
  const root = await fetch(first);
  const tally = { checked: 0 };
  verifyFromGenesis(chainId, validatorsFromGenesis(genesis), root, tally);
  const range =
    target === first
      ? { trusted: root, trace: [], path: [], signaturesChecked: 0 }
      : o.sequential
        ? await verifySequential(chainId, root, target, fetch)
        : await verifyToHeight(chainId, root, target, fetch);
  const h = range.trusted.header;
  return {
    chain_id: chainId,
    height: h.height.toString(),
    hash: toHexUpper(blockHash(h)),
    app_hash: toHexUpper(h.appHash),
    time: timestampToRfc3339(h.time),
    verified_heights: [first, ...range.trace].map(String),
    headers_fetched: fetched,
    signatures_checked: tally.checked + range.signaturesChecked,
    ms: Math.round(performance.now() - started),
  };
}

function syncCommand(): Command {
  const cmd = new Command("sync")
    .description("Verify the chain up to a height from its genesis validators alone (skipping + bisection)")
    .requiredOption("--from <rpc>", "CometBFT RPC of any node (not trusted)")
    .requiredOption("--genesis <genesis.json>", "the genesis whose validators and chain id you trust")
    .option("--to <height>", "height to verify (default: the node's latest)")
    .option("--sequential", "verify every header in turn instead of skipping")
    .addOption(outputOption());
  return cmd.action(async () => {
    const o = cmd.optsWithGlobals<SyncOpts>();
    try {
      print(o.output, await sync(o));
    } catch (err) {
      fail(cmd, err, o.from);
    }
  });
}

interface VerifyEventOpts {
  genesis?: string;
  trustedHeight?: string;
  trustedHash?: string;
  anchorRpc?: string;
  anchorMode: "memo" | "vivim";
  anchorTx?: string;
  output: OutputFormat;
}

/** Where the bundle's last header was anchored; NOT_ANCHORED when the target chain does not hold it. */
async function anchorOf(o: VerifyEventOpts, proven: NonNullable<ProofVerification["proven"]>) {
  const { height, headerHash } = proven.linkedHeader;
  const found = await findAnchor({
    targetRpc: nodeUrl(o.anchorRpc!),
    mode: o.anchorMode,
    sourceChainId: proven.chainId,
    height,
    headerHash,
    txHash: o.anchorTx,
  });
  if (!found)
    throw new CliError(
      "NOT_ANCHORED",
      `header ${height} ${headerHash} of ${proven.chainId} is not anchored on ${o.anchorRpc}${o.anchorTx ? ` by tx ${o.anchorTx}` : ""}`,
    );
  return {
    anchored_height: height.toString(),
    anchored_header_hash: headerHash,
    target_chain_id: found.targetChainId,
    ...(found.txHash ? { target_tx_hash: found.txHash } : {}),
    target_height: found.targetHeight.toString(),
  };
}

function trustedRoot(o: VerifyEventOpts): TrustedRoot | undefined {
  const byHeader = o.trustedHeight !== undefined || o.trustedHash !== undefined;
  if (byHeader && o.genesis !== undefined)
    throw new CliError(
      "INVALID_ARGS",
      "trust a genesis or a header (--trusted-height with --trusted-hash), not both",
    );
  if (o.genesis !== undefined) {
    const genesis = loadGenesis(o.genesis, { validateAppState: () => {} });
    return { chainId: genesis.chain_id, validators: validatorsFromGenesis(genesis) };
  }
  if (!byHeader) return undefined;
  if (o.trustedHeight === undefined || !/^[1-9]\d{0,18}$/.test(o.trustedHeight))
    throw new CliError(
      "INVALID_ARGS",
      "--trusted-height must be a positive height, given with --trusted-hash",
    );
  if (o.trustedHash === undefined || !/^[0-9a-fA-F]{64}$/.test(o.trustedHash))
    throw new CliError("INVALID_ARGS", "--trusted-hash must be a header hash (64 hex characters)");
  return { height: BigInt(o.trustedHeight), headerHash: o.trustedHash };
}

type Proven = NonNullable<ProofVerification["proven"]>;

function provenLine(p: Proven): string {
  if (p.kind === "event") return p.event!.type;
  if (p.kind === "tx") return `tx ${p.txHash}`;
  return p.state!.value === null ? "state key absent" : "state value";
}

/** A state value as text too when it is printable UTF-8 (a balance is a decimal string). */
function stateFields(state: NonNullable<Proven["state"]>) {
  const text = state.value === null ? undefined : Buffer.from(state.value, "hex").toString("utf8");
  const printable = text !== undefined && /^[\x20-\x7e]*$/.test(text);
  return { key: state.key, value: state.value, ...(printable ? { value_text: text } : {}) };
}

/** What a person reads: the proven claim, the header it is under, and what vouches for that header. */
function summary(r: ProofVerification) {
  const p = r.proven!;
  return {
    proven: provenLine(p),
    ...(p.state ? stateFields(p.state) : {}),
    ...(p.event ? { attributes: { ...p.event.attributes }, event_index: p.event.eventIndex } : {}),
    ...(p.txHash !== undefined ? { tx_hash: p.txHash } : {}),
    ...(p.txIndex !== undefined && p.txIndex >= 0 ? { tx_index: p.txIndex } : {}),
    chain_id: p.chainId,
    height: p.height.toString(),
    header_hash: p.headerHash,
    app_hash: p.appHash,
    time: p.time,
    ...(p.linkedHeader.height !== p.height
      ? { linked_to: { height: p.linkedHeader.height.toString(), header_hash: p.linkedHeader.headerHash } }
      : {}),
    trusted_by:
      r.trustedBy === "caller"
        ? "the root you trust"
        : "the bundle's own root only (pass --genesis, or --trusted-height with --trusted-hash)",
    verified_heights: r.verifiedHeights.map(String),
    signatures_checked: r.signaturesChecked,
  };
}

function verifyEventCommand(): Command {
  const cmd = new Command("verify-event")
    .alias("verify")
    .description(
      "Verify a proof bundle (vivim export proof: tx, event or state) offline and print what it proves",
    )
    .argument("<proof.json>", "the bundle")
    .option("--genesis <genesis.json>", "trust this genesis's validators and chain id")
    .option("--trusted-height <height>", "trust the header at this height (with --trusted-hash)")
    .option("--trusted-hash <hash>", "the hash of the header you trust")
    .option("--anchor-rpc <url>", "also check the bundle's last header was anchored on this chain (RPC)")
    .addOption(
      new Option("--anchor-mode <mode>", "how it was anchored: memo (any Cosmos chain) or vivim")
        .choices(["memo", "vivim"])
        .default("memo"),
    )
    .option("--anchor-tx <hash>", "the anchoring tx on that chain (required for memo)")
    .addOption(outputOption());
  return cmd.action(async (file: string) => {
    const o = cmd.optsWithGlobals<VerifyEventOpts>();
    try {
      const trusted = trustedRoot(o);
      const r = verifyProofBundle(readProofBundleFile(file), { trusted });
      if (!r.ok) {
        if (o.output === "json")
          print("json", { ok: false, code: r.code ?? null, checks: r.checks.map((c) => ({ ...c })) });
        throw new CliError(r.code ?? "VERIFY_FAILED", r.message ?? "the bundle does not verify");
      }
      const out = {
        ...summary(r),
        ...(o.anchorRpc !== undefined ? { anchor: await anchorOf(o, r.proven!) } : {}),
      };
      print(
        o.output,
        o.output === "json" ? { ok: true, ...out, checks: r.checks.map((c) => ({ ...c })) } : out,
      );
    } catch (err) {
      fail(cmd, err);
    }
  });
}

export function lightCommand(): Command {
  return new Command("light")
    .description("Light client: verify headers and proofs without running a node")
    .addCommand(syncCommand())
    .addCommand(verifyEventCommand());
}
