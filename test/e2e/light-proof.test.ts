/**
 * Proof bundles as people use them (bin/vivim.js against a real node): a post is made through
 * cosmjs, `vivim export proof` writes its event's bundle, the node is stopped, and `vivim light
 * verify-event` proves the post from the file alone. Each tampered part of the file — the header,
 * the commit, the validator set, the Merkle path, the claim, the format — is refused with its code.
 * A second network stands for the chain the first anchors into: the checkpoint memo of a later
 * header, hash-linked to the post's in the bundle (`--link-to`), is sent there through cosmjs,
 * and `--anchor-rpc` finds it with chain/anchor/check.ts (the anchoring service itself is tested
 * in anchor.test.ts). A balance sent through cosmjs is proven from the bank's state record
 * (`--balance`, `--store-key`) under the app_hash of the header after its block, and an account that
 * never received anything is proven to have no balance.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { toBech32 } from "@cosmjs/encoding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anchorMemo } from "../../chain/anchor/checkpoint.js";
import { homePaths } from "../../chain/config/home.js";
import { blockHash } from "../../chain/consensus/block-builder.js";
import { validatorAddress } from "../../chain/consensus/validator-set.js";
import { decodeAddress } from "../../chain/crypto/address.js";
import { toHexUpper } from "../../chain/crypto/hash.js";
import { headerFromJson } from "../../chain/rpc/json.js";
import {
  connectVivim,
  MsgCreateCommunity,
  MsgCreateCommunityResponse,
  MsgCreatePost,
  MsgCreatePostResponse,
  MsgRegisterProfile,
  msgResponse,
  vivimMsg,
} from "../../client/index.js";
import { balancePrefix } from "../../contracts/bank/keeper.js";
import { key, utf8 } from "../../contracts/lib/store.js";
import { startTestNode, type TestNode } from "../support/node.js";

const BIN = path.resolve("bin/vivim.js");
const POST_EVENT = "vivim.social.v1.EventPostCreated";
const FEE = { amount: [{ denom: "uvivim", amount: "5000" }], gas: "200000" };
/** Accounts no one holds a key to: one receives tokens, the other never does. */
const RECIPIENT = toBech32("vivim", new Uint8Array(20).fill(7));
const STRANGER = toBech32("vivim", new Uint8Array(20).fill(8));
const SENT = "4321";
const balanceKeyHex = (address: string) =>
  Buffer.from(key(balancePrefix(decodeAddress(address)), utf8("uvivim"))).toString("hex");

function vivim(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

// biome-ignore lint/suspicious/noExplicitAny: tampering reaches into arbitrary parts of the bundle's JSON
type Bundle = Record<string, any>;

describe("vivim export proof / vivim light verify-event", () => {
  let net: TestNode | undefined;
  let work: string;
  let genesis: string;
  let proofFile: string;
  let linkedFile: string;
  let rootedFile: string;
  let txFile: string;
  let postTx: string;
  let postId: string;
  let postHeight: string;
  let sentHeight: number;
  let balanceFile: string;
  let noBalanceFile: string;
  let storeKeyFile: string;

  beforeAll(async () => {
    net = await startTestNode();
    work = mkdtempSync(path.join(tmpdir(), "vivim-light-proof-"));
    genesis = path.join(work, "genesis.json");
    copyFileSync(homePaths(net.home).genesisFile, genesis);
    const alice = net.accounts[0]!;
    const me = alice.address;
    const client = await connectVivim(net.rpcUrl, alice.wallet, {
      broadcastPollIntervalMs: 150,
      broadcastTimeoutMs: 20_000,
    });
    try {
      await client.broadcastVivim(me, [vivimMsg(MsgRegisterProfile, { creator: me, handle: "prover" })]);
      const created = await client.broadcastVivim(me, [
        vivimMsg(MsgCreateCommunity, { creator: me, slug: "proofs", name: "Proofs", visibility: 1 }),
      ]);
      const { communityId } = msgResponse(created, MsgCreateCommunityResponse);
      const posted = await client.broadcastVivim(me, [
        vivimMsg(MsgCreatePost, { author: me, communityId, title: "provable", body: "checked offline" }),
      ]);
      postId = msgResponse(posted, MsgCreatePostResponse).id.toString();
      postHeight = String(posted.height);
      const eventIndex = posted.events.findIndex((e) => e.type === POST_EVENT);
      expect(eventIndex).toBeGreaterThanOrEqual(0);
      const exportEvent = (out: string, ...extra: string[]) =>
        vivim([
          "export",
          "proof",
          "--event",
          `${posted.transactionHash}:${eventIndex}`,
          ...["--node", net!.rpcUrl, "--genesis", genesis, "--out", out],
          ...extra,
        ]);
      proofFile = path.join(work, "post-proof.json");
      const exported = await exportEvent(proofFile, "--output", "json");
      expect(exported.stderr).toBe("");
      expect(JSON.parse(exported.stdout)).toMatchObject({
        chain_id: "vivim-test-1",
        height: postHeight,
        trust: "genesis validators",
        light_blocks: ["1", postHeight],
        proves: POST_EVENT,
      });
      // The same event, its bundle continued header by header to a later height.
      const later = BigInt(posted.height) + 2n;
      while (net.node.blockStore.latestHeight < later) await new Promise((r) => setTimeout(r, 50));
      linkedFile = path.join(work, "post-proof-linked.json");
      const linked = await exportEvent(linkedFile, "--link-to", later.toString());
      expect(linked.stderr).toBe("");
      // And rooted at header 2, for a verifier who trusts that header rather than genesis.
      rootedFile = path.join(work, "post-proof-rooted.json");
      expect((await exportEvent(rootedFile, "--trusted-height", "2")).stderr).toBe("");
      // The post's tx itself.
      postTx = posted.transactionHash;
      txFile = path.join(work, "post-tx.json");
      const txExport = ["export", "proof", "--tx", postTx, "--node", net.rpcUrl, "--genesis", genesis];
      expect((await vivim([...txExport, "--out", txFile])).stderr).toBe("");
      // A balance: the recipient's record in the bank's state, after a send through cosmjs.
      const sent = await client.sendTokens(me, RECIPIENT, [{ denom: "uvivim", amount: SENT }], FEE);
      expect(sent.code).toBe(0);
      sentHeight = sent.height;
      const exportState = (out: string, ...subject: string[]) =>
        vivim(["export", "proof", ...subject, "--node", net!.rpcUrl, "--genesis", genesis, "--out", out]);
      balanceFile = path.join(work, "balance.json");
      const balance = await exportState(balanceFile, "--balance", `${RECIPIENT}:uvivim`, "--output", "json");
      expect(balance.stderr).toBe("");
      expect(JSON.parse(balance.stdout)).toMatchObject({
        trust: "genesis validators",
        proves: `state key ${balanceKeyHex(RECIPIENT)} = ${Buffer.from(SENT).toString("hex")}`,
      });
      noBalanceFile = path.join(work, "no-balance.json");
      expect((await exportState(noBalanceFile, "--balance", `${STRANGER}:uvivim`)).stderr).toBe("");
      storeKeyFile = path.join(work, "store-key.json");
      expect((await exportState(storeKeyFile, "--store-key", balanceKeyHex(RECIPIENT))).stderr).toBe("");
    } finally {
      client.disconnect();
    }
    // Everything after this is offline: the node is gone.
    await net.stop();
    net = undefined;
  }, 120_000);

  afterAll(async () => {
    await net?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  /** Export arguments naming a node that is not there (nothing is written). */
  const toNowhere = () => [
    "--node",
    "http://127.0.0.1:9",
    "--genesis",
    genesis,
    "--out",
    path.join(work, "never.json"),
  ];
  const bundle = (file = proofFile): Bundle => JSON.parse(readFileSync(file, "utf8"));
  /** Writes a tampered copy of a bundle (the post's by default) and returns the coded line verify-event fails with. */
  async function refusal(
    tamper: (b: Bundle) => void,
    trust = ["--genesis", genesis],
    from = proofFile,
  ): Promise<string> {
    const b = bundle(from);
    tamper(b);
    const file = path.join(work, "tampered.json");
    writeFileSync(file, JSON.stringify(b));
    const r = await vivim(["light", "verify-event", file, ...trust]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^Error \[[A-Z_]+\]: .+\n$/);
    return /^Error \[([A-Z_]+)\]/.exec(r.stderr)![1]!;
  }

  it("proves the post from the file alone, against the genesis validators", async () => {
    const r = await vivim(["light", "verify-event", proofFile, "--genesis", genesis, "--output", "json"]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      ok: true,
      proven: POST_EVENT,
      chain_id: "vivim-test-1",
      height: postHeight,
      header_hash: bundle().target.header_hash,
      verified_heights: ["1", postHeight],
      trusted_by: "the root you trust",
    });
    expect(Object.values(out.attributes as Record<string, string>)).toContain(postId);
    expect((out.checks as Array<{ ok: boolean }>).every((c) => c.ok)).toBe(true);

    // The tx's own bundle proves the tx under the same header.
    const tx = await vivim(["light", "verify-event", txFile, "--genesis", genesis, "--output", "json"]);
    expect(JSON.parse(tx.stdout)).toMatchObject({
      ok: true,
      proven: `tx ${postTx}`,
      tx_hash: postTx,
      height: postHeight,
      header_hash: out.header_hash,
    });

    // Text output names the event; with no root of the caller's own, it says only the bundle vouches.
    const text = await vivim(["light", "verify-event", proofFile]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`proven: ${POST_EVENT}`);
    expect(text.stdout).toMatch(/trusted_by: .*bundle's own root only/);
  });

  it("refuses each tampered part of the bundle with its code", async () => {
    const target = (b: Bundle) => b.light_blocks[b.light_blocks.length - 1];
    // A forged header: its app hash changed after the validator signed it.
    expect(await refusal((b) => (target(b).signed_header.header.app_hash = "EE".repeat(32)))).toBe(
      "HEADER_MISMATCH",
    );
    // A commit with too little voting power: the one validator's signature marked absent.
    expect(
      await refusal((b) => {
        for (const s of target(b).signed_header.commit.signatures) s.block_id_flag = 1;
      }),
    ).toBe("INVALID_COMMIT");
    // A wrong validator set: another key in place of the validator that decided the block.
    const key = new Uint8Array(32).fill(9);
    const stranger = {
      address: toHexUpper(validatorAddress(key)),
      pub_key: { type: "tendermint/PubKeyEd25519", value: Buffer.from(key).toString("base64") },
      voting_power: "10",
      proposer_priority: "0",
    };
    expect(await refusal((b) => (target(b).validators = [stranger]))).toBe("VALIDATORS_MISMATCH");
    // A tampered Merkle proof: one sibling hash flipped.
    expect(
      await refusal((b) => {
        const aunts = b.proof.merkle.aunts as string[];
        expect(aunts.length).toBeGreaterThan(0);
        const aunt = Buffer.from(aunts[0]!, "base64");
        aunt[0] = (aunt[0] ?? 0) ^ 1;
        aunts[0] = aunt.toString("base64");
      }),
    ).toBe("MERKLE_PROOF_INVALID");
    // A claim that is not what the leaf says, and a format this verifier does not read.
    expect(await refusal((b) => (b.proof.claim.type = "vivim.social.v1.EventCommentCreated"))).toBe(
      "CLAIM_MISMATCH",
    );
    expect(await refusal((b) => (b.format = "vivim.light.proof/2"))).toBe("BUNDLE_VERSION");
    expect(await refusal((b) => delete b.light_blocks)).toBe("BUNDLE_SCHEMA");
  });

  it("refuses a bundle rooted in a genesis other than the one trusted, and files that are not bundles", async () => {
    const other = JSON.parse(readFileSync(genesis, "utf8")) as { validators: Array<Record<string, unknown>> };
    const key = new Uint8Array(32).fill(7);
    other.validators[0]!.pub_key = {
      type: "tendermint/PubKeyEd25519",
      value: Buffer.from(key).toString("base64"),
    };
    other.validators[0]!.address = toHexUpper(validatorAddress(key));
    const otherGenesis = path.join(work, "other-genesis.json");
    writeFileSync(otherGenesis, JSON.stringify(other));
    expect(await refusal(() => {}, ["--genesis", otherGenesis])).toBe("TRUST_MISMATCH");
    // Trusting a header by hash: the right one passes, another (or genesis) is refused.
    const rooted = JSON.parse(readFileSync(rootedFile, "utf8")) as Bundle;
    const root = headerFromJson(rooted.trust.light_block.signed_header.header);
    expect(root.height).toBe(2n);
    const byHash = ["--trusted-height", "2", "--trusted-hash", toHexUpper(blockHash(root))];
    const ok = await vivim(["light", "verify-event", rootedFile, ...byHash]);
    expect(ok.stderr).toBe("");
    expect(ok.stdout).toContain("trusted_by: the root you trust");
    expect(await refusal(() => {}, ["--trusted-height", "2", "--trusted-hash", "AB".repeat(32)])).toBe(
      "TRUST_MISMATCH",
    );
    const asGenesis = await vivim(["light", "verify-event", rootedFile, "--genesis", genesis]);
    expect(asGenesis.stderr).toMatch(/^Error \[TRUST_MISMATCH\]/);

    const notJson = path.join(work, "not-json.json");
    writeFileSync(notJson, "{ not json");
    expect((await vivim(["light", "verify-event", notJson])).stderr).toMatch(/^Error \[BUNDLE_INVALID\]/);
    const huge = path.join(work, "huge.json");
    writeFileSync(huge, Buffer.alloc((16 << 20) + 1, 0x20));
    expect((await vivim(["light", "verify-event", huge])).stderr).toMatch(/^Error \[BUNDLE_TOO_LARGE\]/);
    expect((await vivim(["light", "verify-event", path.join(work, "missing.json")])).stderr).toMatch(
      /^Error \[BUNDLE_UNREADABLE\]/,
    );
    // Exporting needs the node, which is stopped: a coded line, not a stack trace.
    const unreachable = await vivim(["export", "proof", "--tx", "AB".repeat(32), ...toNowhere()]);
    expect(unreachable.stderr).toMatch(/^Error \[NODE_UNREACHABLE\]/);
    expect((await vivim(["export", "proof", "--genesis", genesis, "--out", "x.json"])).stderr).toMatch(
      /^Error \[INVALID_ARGS\]/,
    );
  });
  it("proves a balance, and another account's lack of one, from the file alone under the header's app_hash", async () => {
    const verify = async (file: string) => {
      const r = await vivim(["light", "verify", file, "--genesis", genesis, "--output", "json"]);
      expect(r.stderr).toBe("");
      return JSON.parse(r.stdout) as Record<string, unknown>;
    };
    const b = bundle(balanceFile);
    const target = b.light_blocks[b.light_blocks.length - 1].signed_header.header;
    const out = await verify(balanceFile);
    expect(out).toMatchObject({
      ok: true,
      proven: "state value",
      key: balanceKeyHex(RECIPIENT),
      value: Buffer.from(SENT).toString("hex"),
      value_text: SENT,
      height: b.target.height,
      header_hash: b.target.header_hash,
      app_hash: target.app_hash,
      trusted_by: "the root you trust",
    });
    // The state is the one after the send's block (or a later one): header H commits to it.
    expect(BigInt(b.target.height)).toBeGreaterThanOrEqual(BigInt(sentHeight));
    expect((out.checks as Array<{ name: string; ok: boolean }>).map((c) => c.name)).toContain("state proof");
    // The same record by its raw key.
    expect(await verify(storeKeyFile)).toMatchObject({
      ok: true,
      key: balanceKeyHex(RECIPIENT),
      value_text: SENT,
    });
    // An account that never received anything: proven absent.
    expect(await verify(noBalanceFile)).toMatchObject({
      ok: true,
      proven: "state key absent",
      key: balanceKeyHex(STRANGER),
      value: null,
    });

    // Another amount claimed; one sibling hash of the path flipped; absence claimed.
    const state = ["--genesis", genesis];
    expect(
      await refusal((x) => (x.proof.value = Buffer.from("999999").toString("hex")), state, balanceFile),
    ).toBe("CLAIM_MISMATCH");
    expect(
      await refusal(
        (x) => {
          // The root level: the devnet's state has keys under several of its 16 slots.
          const siblings = (x.proof.proof.levels as Array<{ siblings: string[] }>).at(-1)!.siblings;
          siblings[0] = (siblings[0]![0] === "0" ? "1" : "0") + siblings[0]!.slice(1);
        },
        state,
        balanceFile,
      ),
    ).toBe("STATE_PROOF_INVALID");
    expect(await refusal((x) => (x.proof.value = null), state, balanceFile)).toBe("CLAIM_MISMATCH");
    // The balance proof under the wrong header: the post's, from before the send.
    expect(
      await refusal((x) => {
        x.proof = { ...bundle(balanceFile).proof, height: postHeight };
      }),
    ).toBe("STATE_PROOF_INVALID");
    // Locators that are not an address and denom, or not hex.
    for (const subject of [
      ["--balance", "nobody:uvivim"],
      ["--balance", RECIPIENT],
      ["--store-key", "zz"],
    ])
      expect((await vivim(["export", "proof", ...subject, ...toNowhere()])).stderr).toMatch(
        /^Error \[INVALID_ARGS\]/,
      );
  });

  it("confirms on another network that a header linked to the post's was anchored there", async () => {
    const linked = JSON.parse(readFileSync(linkedFile, "utf8")) as Bundle;
    const last = headerFromJson(linked.light_blocks[linked.light_blocks.length - 1].signed_header.header);
    const target = await startTestNode();
    try {
      const alice = target.accounts[0]!;
      const client = await connectVivim(target.rpcUrl, alice.wallet, {
        broadcastPollIntervalMs: 150,
        broadcastTimeoutMs: 20_000,
      });
      let anchorTx: string;
      try {
        const memo = anchorMemo({
          chainId: "vivim-test-1",
          height: last.height,
          headerHash: blockHash(last),
          appHash: last.appHash,
        });
        const sent = await client.sendTokens(
          alice.address,
          alice.address,
          [{ denom: "uvivim", amount: "1" }],
          FEE,
          memo,
        );
        expect(sent.code).toBe(0);
        anchorTx = sent.transactionHash;
      } finally {
        client.disconnect();
      }
      const anchorArgs = ["--anchor-rpc", target.rpcUrl, "--anchor-mode", "memo", "--anchor-tx", anchorTx];
      const r = await vivim([
        "light",
        "verify-event",
        linkedFile,
        "--genesis",
        genesis,
        ...anchorArgs,
        "--output",
        "json",
      ]);
      expect(r.stderr).toBe("");
      expect(JSON.parse(r.stdout)).toMatchObject({
        ok: true,
        proven: POST_EVENT,
        height: postHeight,
        linked_to: { height: last.height.toString(), header_hash: toHexUpper(blockHash(last)) },
        anchor: {
          anchored_height: last.height.toString(),
          target_chain_id: "vivim-test-1",
          target_tx_hash: anchorTx,
        },
      });
      // The bundle that ends at the post's own header: that header is not the one anchored.
      const unlinked = await vivim(["light", "verify-event", proofFile, "--genesis", genesis, ...anchorArgs]);
      expect(unlinked.code).toBe(1);
      expect(unlinked.stderr).toMatch(new RegExp(`^Error \\[NOT_ANCHORED\\]: header ${postHeight} `));
    } finally {
      await target.stop();
    }
  });
});
