/** MsgDeposit, v1 and v1beta1: anyone adds to a proposal's deposit in its deposit or voting period. */
import { ProposalStatus } from "cosmjs-types/cosmos/gov/v1/gov";
import { MsgDeposit, MsgDepositResponse } from "cosmjs-types/cosmos/gov/v1/tx";
import {
  MsgDepositResponse as MsgDepositResponseV1Beta1,
  MsgDeposit as MsgDepositV1Beta1,
} from "cosmjs-types/cosmos/gov/v1beta1/tx";
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import type { ExecContext, MsgDefinition } from "../types.js";
import { GovErrors } from "./errors.js";
import { requireProposal } from "./keeper.js";
import { addDeposit, checkDepositDenoms, covers } from "./lifecycle.js";
import { getGovParams } from "./params.js";
import { V1Beta1Schemas, V1Schemas } from "./schemas.js";
import { checkDepositCoins } from "./submit.js";

type AnyMsgDeposit = MsgDeposit | MsgDepositV1Beta1;

function validateDeposit(m: AnyMsgDeposit): void {
  try {
    decodeAddress(m.depositor);
  } catch {
    throw new CodedError(GovErrors.InvalidDepositAmount, "depositor must be a vivim address");
  }
  if (m.amount.length === 0) throw new CodedError(GovErrors.InvalidDepositAmount, "amount must not be empty");
  checkDepositCoins(m.amount, "amount");
}

function deposit(ctx: ExecContext, m: AnyMsgDeposit): void {
  const proposal = requireProposal(ctx.store, m.proposalId);
  if (
    proposal.status !== ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD &&
    proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD
  )
    throw new CodedError(GovErrors.InactiveProposal, `proposal ${m.proposalId} no longer takes deposits`);
  const params = getGovParams(ctx.store);
  checkDepositDenoms(m.amount, params);
  if (!covers(m.amount, params.minDeposit, params.minDepositRatio))
    throw new CodedError(
      GovErrors.MinDepositTooSmall,
      "a deposit must be at least min_deposit_ratio × min_deposit",
    );
  addDeposit(ctx, proposal, m.depositor, m.amount, params);
}

export const msgDeposit: MsgDefinition<MsgDeposit> = {
  typeUrl: "/cosmos.gov.v1.MsgDeposit",
  type: MsgDeposit,
  schema: V1Schemas.MsgDeposit,
  signers: (m) => [m.depositor],
  validateBasic: validateDeposit,
  handle(ctx, m) {
    deposit(ctx, m);
    return { typeUrl: "/cosmos.gov.v1.MsgDepositResponse", value: MsgDepositResponse.encode({}).finish() };
  },
};

export const msgDepositV1Beta1: MsgDefinition<MsgDepositV1Beta1> = {
  typeUrl: "/cosmos.gov.v1beta1.MsgDeposit",
  type: MsgDepositV1Beta1,
  schema: V1Beta1Schemas.MsgDeposit,
  signers: (m) => [m.depositor],
  validateBasic: validateDeposit,
  handle(ctx, m) {
    deposit(ctx, m);
    return {
      typeUrl: "/cosmos.gov.v1beta1.MsgDepositResponse",
      value: MsgDepositResponseV1Beta1.encode({}).finish(),
    };
  },
};
