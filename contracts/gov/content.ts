/**
 * A proposal's messages: checked whole when the proposal is submitted (so a proposal that could
 * never execute is refused then, with the reason), and executed by the gov module account when it
 * passes, all or nothing.
 */
import type { Any } from "cosmjs-types/google/protobuf/any";
import { CodedError, isCodedError } from "../../chain/errors/codes.js";
import { branchContext } from "../lib/branch.js";
import type { ExecContext, ModuleRegistry, MsgDefinition } from "../types.js";
import { GovErrors } from "./errors.js";
import { GOV_ADDRESS } from "./params.js";

/** Governance cannot propose, vote or deposit on governance: no proposal may nest another. */
const NOT_EXECUTABLE =
  /^\/cosmos\.gov\.v1(beta1)?\.Msg(SubmitProposal|Vote|VoteWeighted|Deposit|CancelProposal|ExecLegacyContent)$/;

interface DecodedMessage {
  readonly def: MsgDefinition<unknown>;
  readonly value: unknown;
}

function decodeMessage(modules: ModuleRegistry, any: Any, index: number): DecodedMessage {
  const where = `message ${index} (${any.typeUrl.slice(0, 120)})`;
  if (NOT_EXECUTABLE.test(any.typeUrl))
    throw new CodedError(GovErrors.InvalidProposalMsg, `${where}: governance messages cannot be proposed`);
  const def = modules.msg(any.typeUrl);
  if (!def)
    throw new CodedError(GovErrors.UnroutableProposalMsg, `${where} is not a message this chain runs`);
  let value: unknown;
  try {
    value = def.type.decode(any.value);
  } catch {
    throw new CodedError(GovErrors.InvalidProposalMsg, `${where}: malformed`);
  }
  return { def, value };
}

/** Checks every message; returns their type URLs. Throws the first refusal, naming the message. */
export function checkProposalMessages(modules: ModuleRegistry, messages: readonly Any[]): string[] {
  return messages.map((any, i) => {
    const { def, value } = decodeMessage(modules, any, i);
    const signers = def.signers(value as never);
    if (signers.length !== 1 || signers[0] !== GOV_ADDRESS)
      throw new CodedError(
        GovErrors.InvalidSigner,
        `message ${i} (${any.typeUrl}) would be signed by ${signers.join(", ") || "nobody"}; a proposal's messages must name the gov account ${GOV_ADDRESS} as their authority`,
      );
    try {
      def.validateBasic(value as never);
    } catch (err) {
      if (!isCodedError(err)) throw err;
      throw new CodedError(
        GovErrors.InvalidProposalMsg,
        `message ${i} (${any.typeUrl}): ${err.codespace} ${err.code}: ${err.log}`,
      );
    }
    return any.typeUrl;
  });
}

export type ExecutionResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Runs the messages in order on a branch of the state, as the gov account. The branch and its
 * events are kept only if every message succeeds.
 */
export function executeProposalMessages(ctx: ExecContext, messages: readonly Any[]): ExecutionResult {
  const branch = branchContext(ctx);
  for (const [i, any] of messages.entries()) {
    try {
      const { def, value } = decodeMessage(ctx.modules, any, i);
      def.handle(branch.ctx, value as never);
    } catch (err) {
      // A non-coded error is a handler bug; failing the proposal beats halting the chain on it.
      const why = isCodedError(err) ? `${err.codespace} ${err.code}: ${err.log}` : "internal error";
      return { ok: false, reason: `message ${i} (${any.typeUrl}): ${why}` };
    }
  }
  branch.commit();
  return { ok: true };
}
