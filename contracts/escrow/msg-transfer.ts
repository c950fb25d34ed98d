/** Direct money Msgs: tips between registered accounts, and an owner's withdrawal from an agent. */
import { CodedError } from "../../chain/errors/codes.js";
import { sendCoins } from "../bank/keeper.js";
import { actorMay } from "../identity/capabilities.js";
import { IdentityErrors } from "../identity/errors.js";
import { displayName, getActor, getAgent, requireActor } from "../identity/keeper.js";
import { defineMsg, respond } from "../lib/define.js";
import { indexedEvent } from "../lib/events.js";
import { getContent, getContentBody } from "../social/content.js";
import { EscrowErrors } from "./errors.js";
import { coinsText, EscrowEvents } from "./events.js";
import { MsgTip, MsgTipResponse, MsgWithdrawFromAgent, MsgWithdrawFromAgentResponse } from "./tx.js";
import { checkAddress, checkTransferAmount } from "./validate.js";

export const msgTip = defineMsg(MsgTip, {
  signers: (m) => [m.from],
  validateBasic(m) {
    checkAddress(m.from);
    checkAddress(m.to);
    if (m.from === m.to) throw new CodedError(EscrowErrors.SelfTip, m.from);
    checkTransferAmount(m.amount);
  },
  handle(ctx, m) {
    const sender = requireActor(ctx, m.from);
    if (!actorMay(sender, "trade"))
      throw new CodedError(
        EscrowErrors.AgentNotPermitted,
        `${displayName(sender)} lacks the trade capability`,
      );
    if (!getActor(ctx.store, m.to))
      throw new CodedError(IdentityErrors.NotRegistered, `tip recipient ${m.to} has no profile`);
    if (m.contentId !== 0n) {
      const content = getContent(ctx.store, m.contentId);
      if (!content || content.deleted)
        throw new CodedError(EscrowErrors.UnknownContent, `content ${m.contentId}`);
      if (content.author !== m.to && !getContentBody(ctx.store, m.contentId)?.collaborators.includes(m.to))
        throw new CodedError(EscrowErrors.NotContentAuthor, `content ${m.contentId} is by ${content.author}`);
    }
    sendCoins(ctx, m.from, m.to, m.amount);
    ctx.emit(
      indexedEvent(
        EscrowEvents.Tip,
        { from: m.from, to: m.to, content_id: m.contentId.toString(), amount: coinsText(m.amount) },
        ["amount"],
      ),
    );
    return respond(MsgTipResponse, {});
  },
});

export const msgWithdrawFromAgent = defineMsg(MsgWithdrawFromAgent, {
  signers: (m) => [m.owner],
  validateBasic(m) {
    checkAddress(m.owner);
    checkAddress(m.agent);
    checkTransferAmount(m.amount);
  },
  handle(ctx, m) {
    requireActor(ctx, m.owner);
    const agent = getAgent(ctx.store, m.agent);
    if (!agent) throw new CodedError(EscrowErrors.NotAgentOwner, `${m.agent} is not an agent`);
    if (agent.owner !== m.owner)
      throw new CodedError(EscrowErrors.NotAgentOwner, `${m.agent} is owned by ${agent.owner}`);
    // No agent signature: the owner answers for the agent and may take its earnings at any time,
    // retired or not.
    sendCoins(ctx, m.agent, m.owner, m.amount);
    ctx.emit(
      indexedEvent(
        EscrowEvents.AgentWithdrawal,
        { owner: m.owner, agent: m.agent, amount: coinsText(m.amount) },
        ["amount"],
      ),
    );
    return respond(MsgWithdrawFromAgentResponse, {});
  },
});
