/**
 * `vivim query gov proposals|proposal|tally|votes|vote|deposits|params|voting-power`: the gov
 * queries over abci_query, as cosmjs sends them, printed in the JSON the REST API answers
 * (chain/api/gov-json.ts), so the CLI, REST and wallets all show the same proposal.
 */
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { Command } from "commander";
import type { PageRequest } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { GOV_ADDRESS } from "../../../contracts/gov/params.js";
import { defaultModuleRegistry } from "../../../contracts/index.js";
import {
  GovQueries,
  type GovQuery,
  PROPOSAL_STATUS_CHOICES,
  parseProposalStatus,
  timestampJson,
} from "../../api/gov-json.js";
import { isValidAddress } from "../../crypto/address.js";
import { SdkErrors } from "../../errors/codes.js";
import type { Json } from "../../rpc/json.js";
import { MsgRegistry } from "../../tx/msg-registry.js";
import { proposalIdArg } from "./gov-proposal.js";
import { CliError, fail, nodeOption, nodeUrl, type OutputFormat, outputOption, print } from "./output.js";

interface GovQueryOpts {
  node: string;
  output: OutputFormat;
  status?: string;
  voter?: string;
  depositor?: string;
  limit?: string;
  pageKey?: string;
  reverse?: boolean;
  countTotal?: boolean;
}

type JsonObject = { [key: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const NOT_FOUND: ReadonlySet<string> = new Set([
  "gov/2",
  `sdk/${SdkErrors.NotFound.code}`,
  `sdk/${SdkErrors.KeyNotFound.code}`,
]);

/** Runs one gov query; a refusal is NOT_FOUND (unknown proposal, no such vote) or QUERY_REFUSED. */
async function ask<Req>(comet: Comet38Client, q: GovQuery<Req>, fields: Partial<Req>): Promise<JsonObject> {
  const r = await comet.abciQuery({ path: q.path, data: q.request(fields) });
  if (r.code) {
    const where = `${r.codespace}/${r.code}`;
    throw new CliError(NOT_FOUND.has(where) ? "NOT_FOUND" : "QUERY_REFUSED", `${where}: ${r.log ?? ""}`);
  }
  return q.json(r.value, MsgRegistry.fromModules(defaultModuleRegistry()).resolveBodyAny);
}

function addressArg(address: string): string {
  if (!isValidAddress(address))
    throw new CliError("INVALID_ADDRESS", `not a valid vivim address: ${address}`);
  return address;
}

function pageArg(o: GovQueryOpts): PageRequest {
  if (o.limit !== undefined && (!/^[1-9][0-9]{0,3}$/.test(o.limit) || Number(o.limit) > 1000))
    throw new CliError("INVALID_PAGE", "--limit must be a whole number from 1 to 1000");
  const key = o.pageKey ?? "";
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(key))
    throw new CliError("INVALID_PAGE", "--page-key must be the base64 next_key of a previous page");
  return {
    key: new Uint8Array(Buffer.from(key, "base64")),
    offset: 0n,
    limit: BigInt(o.limit ?? 0),
    countTotal: o.countTotal === true,
    reverse: o.reverse === true,
  };
}

/** A query command: the node/output options, a connected client, one coded line on failure. */
function queryCmd(
  name: string,
  describe: (cmd: Command) => Command,
  run: (comet: Comet38Client, o: GovQueryOpts, args: string[]) => Promise<Json>,
): Command {
  const cmd = describe(new Command(name)).addOption(nodeOption()).addOption(outputOption());
  return cmd.action(async (...params: unknown[]) => {
    const o = cmd.optsWithGlobals<GovQueryOpts>();
    let comet: Comet38Client | undefined;
    try {
      const args = params.filter((p): p is string => typeof p === "string");
      comet = await Comet38Client.connect(nodeUrl(o.node));
      print(o.output, await run(comet, o, args));
    } catch (err) {
      fail(cmd, err, o.node);
    } finally {
      comet?.disconnect();
    }
  });
}

const paging = (c: Command) =>
  c
    .option("--limit <n>", "at most this many (default 100)")
    .option("--page-key <base64>", "the next_key of the previous page");

const proposalsCommand = () =>
  queryCmd(
    "proposals",
    (c) =>
      paging(
        c
          .description("List proposals, optionally by status, voter or depositor")
          .option(
            "--status <status>",
            `only proposals in this status: ${PROPOSAL_STATUS_CHOICES}; voting and deposit for short`,
          )
          .option("--voter <address>", "only proposals this account voted on")
          .option("--depositor <address>", "only proposals this account deposited on"),
      )
        .option("--reverse", "newest first")
        .option("--count-total", "also count every match"),
    (comet, o) => {
      const status = parseProposalStatus(o.status ?? "");
      if (status === undefined)
        throw new CliError("INVALID_STATUS", `--status must be one of ${PROPOSAL_STATUS_CHOICES}`);
      return ask(comet, GovQueries.v1.proposals, {
        proposalStatus: status,
        voter: o.voter ? addressArg(o.voter) : "",
        depositor: o.depositor ? addressArg(o.depositor) : "",
        pagination: pageArg(o),
      });
    },
  );

/** The proposal with VIVIM's record of it: electorate, stage, timelock (`execute_after`). */
const proposalCommand = () =>
  queryCmd(
    "proposal",
    (c) =>
      c
        .description("Show a proposal, with its electorate, stage and timelock")
        .argument("<proposal-id>", "the proposal"),
    async (comet, _o, [id = ""]) => {
      const proposalId = proposalIdArg(id);
      const { proposal: p } = await ask(comet, GovQueries.v1.proposal, { proposalId });
      const { info } = await ask(comet, GovQueries.vivim.proposalInfo, { proposalId });
      const record: JsonObject | null = isObject(info) ? { ...info } : null;
      // The timelock: a QUEUED proposal's messages run at execute_after (unix seconds).
      if (record && typeof record.execute_after === "string" && record.execute_after !== "0")
        record.execute_after_time = timestampJson({ seconds: BigInt(record.execute_after), nanos: 0 });
      return { proposal: p ?? null, info: record };
    },
  );

const tallyCommand = () =>
  queryCmd(
    "tally",
    (c) =>
      c
        .description("A proposal's tally: live during its voting period, final after")
        .argument("<proposal-id>", "the proposal"),
    (comet, _o, [id = ""]) => ask(comet, GovQueries.v1.tally, { proposalId: proposalIdArg(id) }),
  );

const votesCommand = () =>
  queryCmd(
    "votes",
    (c) => paging(c.description("A proposal's votes").argument("<proposal-id>", "the proposal")),
    (comet, o, [id = ""]) =>
      ask(comet, GovQueries.v1.votes, { proposalId: proposalIdArg(id), pagination: pageArg(o) }),
  );

const voteCommand = () =>
  queryCmd(
    "vote",
    (c) =>
      c
        .description("One voter's vote on a proposal")
        .argument("<proposal-id>", "the proposal")
        .argument("<voter>", "vivim1… address"),
    (comet, _o, [id = "", voter = ""]) =>
      ask(comet, GovQueries.v1.vote, { proposalId: proposalIdArg(id), voter: addressArg(voter) }),
  );

const depositsCommand = () =>
  queryCmd(
    "deposits",
    (c) =>
      paging(
        c
          .description("A proposal's deposits (until they are refunded or burned)")
          .argument("<proposal-id>", "the proposal"),
      ),
    (comet, o, [id = ""]) =>
      ask(comet, GovQueries.v1.deposits, { proposalId: proposalIdArg(id), pagination: pageArg(o) }),
  );

const paramsCommand = () =>
  queryCmd(
    "params",
    (c) =>
      c.description("Governance params: x/gov's and VIVIM's electorates and timelock, and the gov account"),
    async (comet) => {
      const cosmos = await ask(comet, GovQueries.v1.params, { paramsType: "" });
      const vivim = await ask(comet, GovQueries.vivim.params, {});
      return { params: cosmos.params ?? null, vivim_params: vivim.params ?? null, gov_account: GOV_ADDRESS };
    },
  );

const votingPowerCommand = () =>
  queryCmd(
    "voting-power",
    (c) =>
      c
        .description("What a voter's vote would weigh on a proposal now, or why it cannot vote")
        .argument("<proposal-id>", "the proposal")
        .argument("<voter>", "vivim1… address"),
    (comet, _o, [id = "", voter = ""]) =>
      ask(comet, GovQueries.vivim.votingPower, { proposalId: proposalIdArg(id), voter: addressArg(voter) }),
  );

export function govQueryCommand(): Command {
  return new Command("gov")
    .description("Governance: proposals, votes, deposits, tallies, params")
    .addCommand(proposalsCommand())
    .addCommand(proposalCommand())
    .addCommand(tallyCommand())
    .addCommand(votesCommand())
    .addCommand(voteCommand())
    .addCommand(depositsCommand())
    .addCommand(paramsCommand())
    .addCommand(votingPowerCommand());
}
