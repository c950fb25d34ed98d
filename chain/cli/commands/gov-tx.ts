/**
 * `vivim tx gov submit-proposal|vote|weighted-vote|deposit`: the `cosmos.gov.v1` Msgs, signed with
 * `--from <key>` from the keyring exactly as `vivim tx bank send` signs (tx.ts). A proposal file's
 * messages are SDK JSON, encoded to protobuf by the node's own schemas (chain/codec/json-to-proto.ts).
 */
import type { DeliverTxResponse } from "@cosmjs/stargate";
import { Command } from "commander";
import { defaultModuleRegistry } from "../../../contracts/index.js";
import { readTextCapped } from "../../config/config.js";
import { MsgRegistry } from "../../tx/msg-registry.js";
import {
  MAX_PROPOSAL_FILE_BYTES,
  parseProposalFile,
  proposalIdArg,
  voteOptionArg,
  weightedOptionsArg,
} from "./gov-proposal.js";
import { CliError, fail } from "./output.js";
import { coinsArg, signAndBroadcast, type TxOpts, withTxOptions } from "./tx.js";

interface GovTxOpts extends TxOpts {
  from: string;
  metadata: string;
}

/** The proposal id a MsgSubmitProposal's tx created, from its `submit_proposal` event. */
function proposalIdOf(r: DeliverTxResponse): Record<string, string> {
  const event = r.events.find((e) => e.type === "submit_proposal");
  const id = event?.attributes.find((a) => a.key === "proposal_id")?.value;
  return id ? { proposal_id: id } : {};
}

/** A gov tx command: `--from`, the tx options, and `run` with the parsed options. */
function govTx(
  name: string,
  describe: (cmd: Command) => Command,
  run: (o: GovTxOpts, args: string[]) => Promise<void>,
): Command {
  const cmd = withTxOptions(
    describe(new Command(name)).requiredOption("--from <key-name>", "name of the signing key in the keyring"),
  );
  return cmd.action(async (...params: unknown[]) => {
    const o = cmd.optsWithGlobals<GovTxOpts>();
    try {
      await run(
        o,
        params.filter((p): p is string => typeof p === "string"),
      );
    } catch (err) {
      fail(cmd, err, o.node);
    }
  });
}

function submitProposalCommand(): Command {
  return govTx(
    "submit-proposal",
    (c) =>
      c
        .description("Submit a proposal from a JSON file (the Cosmos SDK's format), and wait for the block")
        .argument(
          "<proposal-file>",
          'JSON: {"messages": [{"@type": …}], "metadata", "deposit", "title", "summary", "expedited"}',
        ),
    async (o, [file = ""]) => {
      const read = readTextCapped(file, MAX_PROPOSAL_FILE_BYTES);
      if ("problem" in read) throw new CliError("INVALID_PROPOSAL", read.problem);
      const registry = MsgRegistry.fromModules(defaultModuleRegistry());
      const p = parseProposalFile(read.text, {
        resolve: registry.resolveBodyAny,
        isMsg: (typeUrl) => registry.has(typeUrl),
        parseCoins: (text) => coinsArg(text, "deposit", true),
      });
      await signAndBroadcast(
        o,
        o.from,
        (proposer) => [
          {
            typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
            value: {
              messages: p.messages,
              initialDeposit: p.deposit,
              proposer,
              metadata: p.metadata,
              title: p.title,
              summary: p.summary,
              expedited: p.expedited,
            },
          },
        ],
        proposalIdOf,
      );
    },
  );
}

function voteCommand(): Command {
  return govTx(
    "vote",
    (c) =>
      c
        .description("Vote on a proposal in its voting period (a later vote replaces an earlier one)")
        .argument("<proposal-id>", "the proposal")
        .argument("<option>", "yes, no, abstain or no_with_veto")
        .option("--metadata <text>", "vote metadata", ""),
    async (o, [id = "", option = ""]) => {
      const proposalId = proposalIdArg(id);
      const choice = voteOptionArg(option);
      await signAndBroadcast(o, o.from, (voter) => [
        {
          typeUrl: "/cosmos.gov.v1.MsgVote",
          value: { proposalId, voter, option: choice, metadata: o.metadata },
        },
      ]);
    },
  );
}

function weightedVoteCommand(): Command {
  return govTx(
    "weighted-vote",
    (c) =>
      c
        .description("Split a vote over several options, e.g. yes=0.6,no=0.4 (weights sum to 1)")
        .argument("<proposal-id>", "the proposal")
        .argument("<options>", "option=weight pairs, e.g. yes=0.6,no=0.4")
        .option("--metadata <text>", "vote metadata", ""),
    async (o, [id = "", weighted = ""]) => {
      const proposalId = proposalIdArg(id);
      const options = weightedOptionsArg(weighted);
      await signAndBroadcast(o, o.from, (voter) => [
        {
          typeUrl: "/cosmos.gov.v1.MsgVoteWeighted",
          value: { proposalId, voter, options, metadata: o.metadata },
        },
      ]);
    },
  );
}

function depositCommand(): Command {
  return govTx(
    "deposit",
    (c) =>
      c
        .description("Add to a proposal's deposit (in its deposit or voting period)")
        .argument("<proposal-id>", "the proposal")
        .argument("<amount>", "coins, e.g. 1000uvivim"),
    async (o, [id = "", amountText = ""]) => {
      const proposalId = proposalIdArg(id);
      const amount = coinsArg(amountText, "amount", false);
      await signAndBroadcast(o, o.from, (depositor) => [
        { typeUrl: "/cosmos.gov.v1.MsgDeposit", value: { proposalId, depositor, amount } },
      ]);
    },
  );
}

export function govTxCommand(): Command {
  return new Command("gov")
    .description("Governance transactions: proposals, votes, deposits")
    .addCommand(submitProposalCommand())
    .addCommand(voteCommand())
    .addCommand(weightedVoteCommand())
    .addCommand(depositCommand());
}
