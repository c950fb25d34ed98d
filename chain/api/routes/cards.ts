/** The profile and agent card over REST: `/vivim/cards/v1/cards/{address | handle | @owner/agent}`. */
import { QueryCardRequest, QueryCardResponse } from "../../../contracts/cards/card.js";
import { LabelPolicy } from "../../../contracts/social/enums.js";
import { badRequest } from "../http.js";
import type { Route } from "../router.js";
import { moduleQueryRoute } from "./module-query.js";

const POLICIES: Readonly<Record<string, LabelPolicy>> = {
  show: LabelPolicy.SHOW,
  annotate: LabelPolicy.ANNOTATE,
  hide: LabelPolicy.HIDE,
};

export const cardsRoutes: readonly Route[] = [
  moduleQueryRoute({
    name: "cards.card",
    pattern: /^\/vivim\/cards\/v1\/cards\/(.+)$/,
    path: "/vivim.cards.v1.Query/Card",
    request: QueryCardRequest,
    response: QueryCardResponse,
    build: (req) => {
      const policy = req.query.get("label_policy")?.toLowerCase() ?? "annotate";
      const labelPolicy = POLICIES[policy];
      if (labelPolicy === undefined) throw badRequest("label_policy must be show, annotate or hide");
      return { account: req.params[0] ?? "", labelPolicy };
    },
  }),
];
