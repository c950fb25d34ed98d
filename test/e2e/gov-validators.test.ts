/**
 * Validator-set changes through governance, over a real network of node processes: the council
 * (the operators' accounts) passes a proposal that adds a full node's consensus key as a
 * validator — it starts signing blocks — and then one that removes a validator, which stops
 * signing while the chain keeps committing. Nobody edits a file; the gov account executes
 * MsgUpdateValidator, and consensus applies it at H+2 under the per-block power-change cap.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { SigningStargateClient } from "@cosmjs/stargate";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { QueryProposalRequest, QueryProposalResponse } from "cosmjs-types/cosmos/gov/v1/query";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "../../chain/keys/keyring.js";
import { GOV_ADDRESS, vivimRegistry } from "../../client/index.js";
import { MsgUpdateValidator } from "../../contracts/validators/codec.js";
import { createProcessNetwork, heightOf, type ProcessNetwork, waitForHeight } from "../support/network.js";
import { type NodeProcess, rpcCall } from "../support/process.js";

const FEE = { amount: [{ denom: "uvivim", amount: "20000" }], gas: "800000" };
const DEPOSIT = [{ denom: "uvivim", amount: "1000" }];

interface Commit {
  block: { header: { height: string }; last_commit: { signatures: Array<{ validator_address: string }> } };
}

interface ValidatorKey {
  readonly address: string;
  readonly pubKey: Uint8Array;
}

/** A node's consensus key, from its priv_validator_key.json. */
function validatorKey(home: string): ValidatorKey {
  const k = JSON.parse(readFileSync(path.join(home, "config", "priv_validator_key.json"), "utf8")) as {
    address: string;
    pub_key: { value: string };
  };
  return { address: k.address, pubKey: Buffer.from(k.pub_key.value, "base64") };
}

/** Validator addresses that signed the commit of height h (carried by block h+1). */
async function signersOf(node: NodeProcess, height: number): Promise<string[]> {
  const b = await rpcCall<Commit>(node.rpcUrl, "block", { height: String(height + 1) });
  return b.block.last_commit.signatures.map((s) => s.validator_address).filter((a) => a !== "");
}

describe("validator set changed by governance", () => {
  let net: ProcessNetwork;
  let client: SigningStargateClient;
  let operator: string;
  let newKey: ValidatorKey;
  let leaving: ValidatorKey;

  beforeAll(async () => {
    net = await createProcessNetwork({
      validators: 2,
      fullNodes: 1,
      gov: {
        params: {
          min_deposit: DEPOSIT,
          expedited_min_deposit: [{ denom: "uvivim", amount: "5000" }],
          max_deposit_period: "4s",
          voting_period: "4s",
          expedited_voting_period: "2s",
        },
      },
    });
    await Promise.all([...net.validators, ...net.fullNodes].map((n) => n.start()));
    const op = net.devnet.nodes[0]!.operator;
    operator = op.address;
    const wallet = await new Keyring({ home: net.devnet.nodes[0]!.home, backend: "test" }).signerFor(op.name);
    client = await SigningStargateClient.connectWithSigner(net.validators[0]!.rpcUrl, wallet, {
      registry: vivimRegistry(),
      broadcastPollIntervalMs: 200,
    });
    newKey = validatorKey(net.fullNodes[0]!.home);
    leaving = validatorKey(net.devnet.nodes[1]!.home);
  }, 120_000);

  afterAll(async () => {
    client?.disconnect();
    await net?.stopAll();
  });

  /** Submits a proposal running `update`, votes yes as operator0 (half the power), waits for it to pass. */
  async function passUpdate(update: {
    pubKey: Uint8Array;
    power: bigint;
    moniker: string;
    operator?: string;
  }) {
    const msg = MsgUpdateValidator.fromPartial({ authority: GOV_ADDRESS, ...update });
    const submit = await client.signAndBroadcast(
      operator,
      [
        {
          typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
          value: {
            messages: [
              { typeUrl: MsgUpdateValidator.typeUrl, value: MsgUpdateValidator.encode(msg).finish() },
            ],
            initialDeposit: DEPOSIT,
            proposer: operator,
            metadata: "",
            title: `validator ${update.moniker} to power ${update.power}`,
            summary: "Council decision",
            expedited: false,
          },
        },
      ],
      FEE,
    );
    expect(submit.code, submit.rawLog).toBe(0);
    const id = BigInt(
      submit.events
        .find((e) => e.type === "submit_proposal")!
        .attributes.find((a) => a.key === "proposal_id")!.value,
    );
    const voted = await client.signAndBroadcast(
      operator,
      [
        {
          typeUrl: "/cosmos.gov.v1.MsgVote",
          value: { proposalId: id, voter: operator, option: VoteOption.VOTE_OPTION_YES, metadata: "" },
        },
      ],
      FEE,
    );
    expect(voted.code, voted.rawLog).toBe(0);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const r = await rpcCall<{ response: { value: string } }>(net.validators[0]!.rpcUrl, "abci_query", {
        path: "/cosmos.gov.v1.Query/Proposal",
        data: Buffer.from(QueryProposalRequest.encode({ proposalId: id }).finish()).toString("hex"),
      });
      const status = QueryProposalResponse.decode(Buffer.from(r.response.value, "base64")).proposal?.status;
      if (status === ProposalStatus.PROPOSAL_STATUS_PASSED) return heightOf(net.validators[0]!);
      if (status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD)
        throw new Error(`proposal ${id} ended ${status}`);
      if (Date.now() > deadline) throw new Error(`proposal ${id} undecided`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  /** Waits until `predicate(signers)` holds for a committed height after `from`; returns that height. */
  async function untilCommit(from: number, predicate: (signers: string[]) => boolean): Promise<number> {
    const deadline = Date.now() + 60_000;
    let h = from;
    for (;;) {
      const tip = await heightOf(net.validators[0]!);
      while (h < tip) {
        if (predicate(await signersOf(net.validators[0]!, h))) return h;
        h++;
      }
      if (Date.now() > deadline) throw new Error(`no commit after ${from} matched`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  it("adds a validator that then signs blocks, and removes one that then stops", async () => {
    await waitForHeight(net.validators, 2, 60_000);
    expect(await signersOf(net.validators[0]!, 1)).not.toContain(newKey.address);

    const added = await passUpdate({ pubKey: newKey.pubKey, power: 10n, moniker: "full-0", operator });
    const firstSigned = await untilCommit(added, (s) => s.includes(newKey.address));
    expect(firstSigned).toBeGreaterThan(added);

    const removed = await passUpdate({ pubKey: leaving.pubKey, power: 0n, moniker: "" });
    const lastWith = await untilCommit(removed, (s) => !s.includes(leaving.address));
    // The chain keeps committing with the remaining two, and the removed key never signs again.
    await waitForHeight([net.validators[0]!, net.fullNodes[0]!], lastWith + 5, 60_000);
    for (let h = lastWith + 1; h < lastWith + 4; h++) {
      const signers = await signersOf(net.validators[0]!, h);
      expect(signers).not.toContain(leaving.address);
      expect(signers).toContain(newKey.address);
    }
  });
});
