/**
 * MsgSubmitProposal, both forms: `cosmos.gov.v1` (messages executed by the gov account) and the
 * legacy `cosmos.gov.v1beta1` (a TextProposal content, which is what cosmjs's v1beta1 helpers and
 * older wallets send). Everything a proposal needs to run is checked here, at submission.
 */
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { ProposalStatus } from "cosmjs-types/cosmos/gov/v1/gov";
import { MsgSubmitProposal, MsgSubmitProposalResponse } from "cosmjs-types/cosmos/gov/v1/tx";
import { TextProposal } from "cosmjs-types/cosmos/gov/v1beta1/gov";
import {
  MsgSubmitProposalResponse as MsgSubmitProposalResponseV1Beta1,
  MsgSubmitProposal as MsgSubmitProposalV1Beta1,
} from "cosmjs-types/cosmos/gov/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { validateCoins } from "../lib/coins.js";
import { utf8 } from "../lib/store.js";
import type { ExecContext, MsgDefinition } from "../types.js";
import { checkProposalMessages } from "./content.js";
import { electorateOf } from "./electorate.js";
import { GovErrors } from "./errors.js";
import { GovEvents, govEvent } from "./events.js";
import { addSeconds, nextProposalId, readOpen, scheduleOpen, setInfo, setProposal } from "./keeper.js";
import { addDeposit, blockTimestamp, checkDepositDenoms, covers } from "./lifecycle.js";
import { getGovParams, getVivimGovParams, MAX_MESSAGES_LIMIT } from "./params.js";
import { Stage } from "./records.js";
import { V1Beta1Schemas, V1Schemas } from "./schemas.js";

export const MAX_TITLE_BYTES = 256;
export const MAX_SUMMARY_BYTES = 10_000;
export const MAX_METADATA_BYTES = 2048;
const MAX_DEPOSIT_COINS = 16;

function checkText(value: string, field: string, max: number, required: boolean): void {
  const bytes = utf8(value).length;
  if (required && value.trim() === "")
    throw new CodedError(GovErrors.InvalidProposalContent, `${field} must not be empty`);
  if (bytes > max) {
    const kind = field === "metadata" ? GovErrors.MetadataTooLong : GovErrors.InvalidProposalContent;
    throw new CodedError(kind, `${field} is ${bytes} bytes; the limit is ${max}`);
  }
}

function checkProposer(proposer: string): void {
  try {
    decodeAddress(proposer);
  } catch {
    throw new CodedError(GovErrors.InvalidProposer, "proposer must be a vivim address");
  }
}

export function checkDepositCoins(coins: readonly Coin[], field: string): void {
  if (coins.length > MAX_DEPOSIT_COINS)
    throw new CodedError(GovErrors.InvalidDepositAmount, `${field}: at most ${MAX_DEPOSIT_COINS} denoms`);
  validateCoins(coins);
}

interface NewProposal {
  readonly messages: readonly Any[];
  readonly initialDeposit: readonly Coin[];
  readonly proposer: string;
  readonly metadata: string;
  readonly title: string;
  readonly summary: string;
  readonly expedited: boolean;
}

/** Creates the proposal after every check; returns its id. */
function submitProposal(ctx: ExecContext, p: NewProposal): bigint {
  const params = getGovParams(ctx.store);
  const vparams = getVivimGovParams(ctx.store);
  if (p.messages.length > vparams.maxMessages)
    throw new CodedError(
      GovErrors.InvalidProposalContent,
      `at most ${vparams.maxMessages} messages per proposal`,
    );
  const typeUrls = checkProposalMessages(ctx.modules, p.messages);
  const electorate = electorateOf(typeUrls, vparams);
  if (p.expedited && p.messages.length === 0)
    throw new CodedError(GovErrors.InvalidProposalType, "a text proposal cannot be expedited");
  if (readOpen(ctx.store).length >= vparams.maxOpenProposals)
    throw new CodedError(
      GovErrors.TooManyOpenProposals,
      `${vparams.maxOpenProposals} proposals are already open`,
    );
  checkDepositDenoms(p.initialDeposit, params);
  const required = p.expedited ? params.expeditedMinDeposit : params.minDeposit;
  if (!covers(p.initialDeposit, required, params.minInitialDepositRatio))
    throw new CodedError(
      GovErrors.MinDepositTooSmall,
      `the initial deposit must be at least min_initial_deposit_ratio × ${required.map((c) => `${c.amount}${c.denom}`).join(",")}`,
    );

  const id = nextProposalId(ctx.store);
  const now = blockTimestamp(ctx);
  const depositEndTime = addSeconds(now, params.maxDepositPeriod);
  const proposal = {
    id,
    messages: [...p.messages],
    status: ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD,
    finalTallyResult: { yesCount: "0", abstainCount: "0", noCount: "0", noWithVetoCount: "0" },
    submitTime: now,
    depositEndTime,
    totalDeposit: [],
    metadata: p.metadata,
    title: p.title,
    summary: p.summary,
    proposer: p.proposer,
    expedited: p.expedited,
    failedReason: "",
  };
  setProposal(ctx.store, proposal);
  setInfo(ctx.store, {
    proposalId: id,
    electorate,
    stage: Stage.DEPOSIT,
    executeAfter: 0n,
    executedHeight: 0n,
    totalWeight: "0",
    convertedFromExpedited: false,
  });
  scheduleOpen(ctx.store, id, depositEndTime);
  ctx.emit(
    govEvent(
      GovEvents.SubmitProposal,
      {
        proposal_id: id.toString(),
        proposal_proposer: p.proposer,
        proposal_messages: typeUrls.map((t) => `,${t}`).join(""),
      },
      ["proposal_messages"],
    ),
  );
  addDeposit(ctx, proposal, p.proposer, p.initialDeposit, params);
  return id;
}

export const msgSubmitProposal: MsgDefinition<MsgSubmitProposal> = {
  typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
  type: MsgSubmitProposal,
  schema: V1Schemas.MsgSubmitProposal,
  signers: (m) => [m.proposer],
  validateBasic(m) {
    checkProposer(m.proposer);
    if (m.messages.length > MAX_MESSAGES_LIMIT)
      throw new CodedError(GovErrors.InvalidProposalContent, `at most ${MAX_MESSAGES_LIMIT} messages`);
    checkText(m.title, "title", MAX_TITLE_BYTES, true);
    checkText(m.summary, "summary", MAX_SUMMARY_BYTES, true);
    checkText(m.metadata, "metadata", MAX_METADATA_BYTES, false);
    checkDepositCoins(m.initialDeposit, "initial_deposit");
  },
  handle(ctx, m) {
    const proposalId = submitProposal(ctx, m);
    return {
      typeUrl: "/cosmos.gov.v1.MsgSubmitProposalResponse",
      value: MsgSubmitProposalResponse.encode({ proposalId }).finish(),
    };
  },
};

const TEXT_PROPOSAL = "/cosmos.gov.v1beta1.TextProposal";

function legacyContent(m: MsgSubmitProposalV1Beta1): TextProposal {
  if (!m.content || m.content.typeUrl !== TEXT_PROPOSAL)
    throw new CodedError(
      GovErrors.InvalidProposalContent,
      `legacy proposals carry a ${TEXT_PROPOSAL}; send cosmos.gov.v1.MsgSubmitProposal with messages for anything else`,
    );
  return TextProposal.decode(m.content.value);
}

export const msgSubmitProposalV1Beta1: MsgDefinition<MsgSubmitProposalV1Beta1> = {
  typeUrl: "/cosmos.gov.v1beta1.MsgSubmitProposal",
  type: MsgSubmitProposalV1Beta1,
  schema: V1Beta1Schemas.MsgSubmitProposal,
  signers: (m) => [m.proposer],
  validateBasic(m) {
    checkProposer(m.proposer);
    const content = legacyContent(m);
    checkText(content.title, "title", MAX_TITLE_BYTES, true);
    checkText(content.description, "description", MAX_SUMMARY_BYTES, true);
    checkDepositCoins(m.initialDeposit, "initial_deposit");
  },
  handle(ctx, m) {
    const content = legacyContent(m);
    const proposalId = submitProposal(ctx, {
      messages: [],
      initialDeposit: m.initialDeposit,
      proposer: m.proposer,
      metadata: "",
      title: content.title,
      summary: content.description,
      expedited: false,
    });
    return {
      typeUrl: "/cosmos.gov.v1beta1.MsgSubmitProposalResponse",
      value: MsgSubmitProposalResponseV1Beta1.encode({ proposalId }).finish(),
    };
  },
};
