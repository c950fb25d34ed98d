/**
 * Communities: create one, join and leave, and (moderators) set its rules. The community is
 * named by its slug; whether the caller may act there is checked before any tx is built.
 */
import { vivimMsg } from "../../client/connect.js";
import { Capability, Visibility } from "../../contracts/social/enums.js";
import { HARD_LIMITS } from "../../contracts/social/params.js";
import {
  MsgCreateCommunity,
  MsgCreateCommunityResponse,
  MsgJoinCommunity,
  MsgLeaveCommunity,
  MsgSetCommunityRules,
} from "../../contracts/social/tx.js";
import { parseSlug } from "../chain/lookups.js";
import { defineTool, z } from "./define.js";
import { communityInput, communityRef, needs, responseOf } from "./targets.js";
import { performWrite, waitArg, writeFields, writeResultShape } from "./write.js";

const rulesInput = z
  .array(z.string().min(1).max(HARD_LIMITS.ruleBytes))
  .max(HARD_LIMITS.rules)
  .describe(`Up to ${HARD_LIMITS.rules} short rules, one sentence each`);

export const createCommunity = defineTool({
  name: "create_community",
  title: "Create a community",
  description:
    "Create a community with a unique slug (2-32 of a-z, 0-9, _ and -), a name, a description and optional rules. You become its owner. Public communities are open to anyone to join; private ones by invitation.",
  scope: "social",
  input: {
    slug: z.string().max(33),
    name: z.string().min(1).max(HARD_LIMITS.communityNameBytes),
    description: z.string().max(HARD_LIMITS.communityDescriptionBytes).default(""),
    rules: rulesInput.default([]),
    visibility: z.enum(["public", "private"]).default("public"),
    wait: waitArg,
  },
  output: { ...writeResultShape, slug: z.string(), communityId: z.string().optional() },
  annotations: { destructiveHint: false, idempotentHint: false },
  async run(args, call) {
    const slug = parseSlug(args.slug);
    const r = await performWrite(call, {
      summary: `create the ${args.visibility} community #${slug}`,
      msgs: [
        vivimMsg(MsgCreateCommunity, {
          creator: call.session.address,
          slug,
          name: args.name,
          description: args.description,
          rules: args.rules,
          visibility: args.visibility === "private" ? Visibility.PRIVATE : Visibility.PUBLIC,
        }),
      ],
      // The identity module: founding and running a community is moderation.
      agentCapability: "moderate",
      reach: "shared",
      wait: args.wait,
    });
    const created = responseOf(r, MsgCreateCommunityResponse);
    return { ...writeFields(r), slug, ...(created ? { communityId: created.communityId.toString() } : {}) };
  },
});

/** join and leave: one Msg shape, opposite effects. Leaving needs no grant (as on chain). */
function membershipTool(join: boolean) {
  const verb = join ? "join" : "leave";
  return defineTool({
    name: `${verb}_community`,
    title: join ? "Join a community" : "Leave a community",
    description: join
      ? "Become a member of a public community (or of a private one that invited you), so you may post and comment there."
      : "Stop being a member of a community (or decline its invitation). A community's sole owner cannot leave.",
    scope: "social",
    input: { community: communityInput, wait: waitArg },
    output: { ...writeResultShape, slug: z.string() },
    annotations: { destructiveHint: !join, idempotentHint: false },
    async run(args, call) {
      const c = await communityRef(call.services.reader, args.community);
      const fields = { member: call.session.address, communityId: c.id };
      const r = await performWrite(call, {
        summary: `${verb} #${c.slug}`,
        msgs: [join ? vivimMsg(MsgJoinCommunity, fields) : vivimMsg(MsgLeaveCommunity, fields)],
        ...(join ? { agentCapability: "follow" as const } : {}),
        reach: "own",
        wait: args.wait,
      });
      return { ...writeFields(r), slug: c.slug };
    },
  });
}

export const joinCommunity = membershipTool(true);
export const leaveCommunity = membershipTool(false);

export const setCommunityRules = defineTool({
  name: "set_community_rules",
  title: "Set a community's rules",
  description:
    "Replace the rules of a community you moderate with a new list (an empty list removes them). Needs the moderate capability there.",
  scope: "moderation",
  input: { community: communityInput, rules: rulesInput, wait: waitArg },
  output: { ...writeResultShape, slug: z.string(), ruleCount: z.number().int() },
  annotations: { destructiveHint: true, idempotentHint: true },
  async run(args, call) {
    const c = await communityRef(call.services.reader, args.community);
    const r = await performWrite(call, {
      summary: `set ${args.rules.length} rules for #${c.slug}`,
      msgs: [
        vivimMsg(MsgSetCommunityRules, { actor: call.session.address, communityId: c.id, rules: args.rules }),
      ],
      agentCapability: "moderate",
      reach: "shared",
      community: needs(c, Capability.MODERATE),
      wait: args.wait,
    });
    return { ...writeFields(r), slug: c.slug, ruleCount: args.rules.length };
  },
});

export const communityTools = [createCommunity, joinCommunity, leaveCommunity, setCommunityRules];
