/**
 * A byzantine validator double-signs over real libp2p: three honest validator processes see its two
 * conflicting prevotes, turn them into DuplicateVoteEvidence, include it in a block, and the
 * evidence module records it in state with a `double_sign` event that governance can act on.
 */
import { randomBytes, sign } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { homePaths, loadNodeKey, loadValidatorKey } from "../../chain/config/home.js";
import { SignedMsgType, voteSignBytes } from "../../chain/consensus/messages.js";
import { encodeVote } from "../../chain/consensus/wire.js";
import { fromHex } from "../../chain/crypto/hash.js";
import type { P2pHost } from "../../chain/p2p/host.js";
import { chainTopics } from "../../chain/p2p/topics.js";
import { timestampFromMs } from "../../chain/types/timestamp.js";
import { createProcessNetwork, heightOf, type ProcessNetwork } from "../support/network.js";
import { testPeer } from "../support/peer.js";
import { rpcCall } from "../support/process.js";

interface BlockJson {
  block: {
    evidence: { evidence: Array<{ type: string; value: { vote_a: { validator_address: string } } }> };
  };
}
interface BlockResultsJson {
  finalize_block_events?: Array<{ type: string; attributes: Array<{ key: string; value: string }> }>;
}

describe("double-sign evidence", () => {
  let net: ProcessNetwork;
  let byzantine: P2pHost;

  beforeAll(async () => {
    net = await createProcessNetwork({ validators: 4 });
    // Validators 0-2 are honest processes; validator 3's keys are driven by this test.
    await Promise.all(net.validators.slice(0, 3).map((v) => v.start()));
  }, 120_000);

  afterAll(async () => {
    await byzantine?.stop();
    await net?.stopAll();
  });

  it("records a validator's conflicting votes as evidence in a block and in state", async () => {
    const evil = net.devnet.nodes[3]!;
    const paths = homePaths(evil.home);
    const valKey = loadValidatorKey(paths.privValidatorKeyFile);
    const honest = net.devnet.nodes.slice(0, 3);
    const peers = honest.map((n) => {
      const [host, port] = n.p2p.replace("tcp://", "").split(":");
      return { id: n.nodeId, host: host!, port: Number(port) };
    });
    byzantine = testPeer(net.devnet.chainId, loadNodeKey(paths.nodeKeyFile), peers);
    const topics = chainTopics(net.devnet.chainId);
    await byzantine.start();

    const validatorsJson = await rpcCall<{ validators: Array<{ address: string }> }>(
      net.validators[0]!.rpcUrl,
      "validators",
    );
    const index = validatorsJson.validators.findIndex((v) => v.address === valKey.address);
    expect(index).toBeGreaterThanOrEqual(0);
    const prevote = (height: bigint) => {
      const unsigned = {
        type: SignedMsgType.Prevote as const,
        height,
        round: 0,
        blockId: { hash: randomBytes(32), parts: { total: 1, hash: randomBytes(32) } },
        timestamp: timestampFromMs(Date.now()),
      };
      const signature = sign(null, voteSignBytes(net.devnet.chainId, unsigned), valKey.privateKey);
      return encodeVote({
        ...unsigned,
        validatorAddress: fromHex(valKey.address),
        validatorIndex: index,
        signature,
      });
    };

    const start = await heightOf(net.validators[0]!);
    let found: { height: number; block: BlockJson } | undefined;
    for (let attempt = 0; attempt < 60 && !found; attempt++) {
      // Two different prevotes for the same height and round, for the heights about to be decided.
      const h = BigInt(await heightOf(net.validators[0]!));
      for (const height of [h + 1n, h + 2n]) {
        await byzantine.publish(topics.votes, prevote(height));
        await byzantine.publish(topics.votes, prevote(height));
      }
      await new Promise((r) => setTimeout(r, 500));
      const top = await heightOf(net.validators[0]!);
      for (let height = start + 1; height <= top && !found; height++) {
        const block = await rpcCall<BlockJson>(net.validators[0]!.rpcUrl, "block", {
          height: String(height),
        });
        if (block.block.evidence.evidence.length > 0) found = { height, block };
      }
    }
    expect(found, "no block carried the evidence").toBeDefined();
    const ev = found!.block.block.evidence.evidence[0]!;
    expect(ev.type).toBe("tendermint/DuplicateVoteEvidence");
    expect(ev.value.vote_a.validator_address).toBe(valKey.address);

    const results = await rpcCall<BlockResultsJson>(net.validators[1]!.rpcUrl, "block_results", {
      height: String(found!.height),
    });
    const doubleSign = results.finalize_block_events?.find((e) => e.type === "double_sign");
    expect(doubleSign?.attributes.find((a) => a.key === "validator")?.value).toBe(valKey.address);
  }, 120_000);
});
