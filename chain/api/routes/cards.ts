/** The profile and agent card over REST: `/vivim/cards/v1/cards/{address | handle | @owner/agent}`. */
import { QueryCardRequest, QueryCardResponse } from "../../../contracts/cards/card.js";
import type { Route } from "../router.js";
import { moduleQueryRoute } from "./module-query.js";
import { labelPolicyParam } from "./social.js";

export const cardsRoutes: readonly Route[] = [
  moduleQueryRoute({
    name: "cards.card",
    pattern: /^\/vivim\/cards\/v1\/cards\/(.+)$/,
    path: "/vivim.cards.v1.Query/Card",
    request: QueryCardRequest,
    response: QueryCardResponse,
    build: (req) => ({ account: req.params[0] ?? "", labelPolicy: labelPolicyParam(req.query) }),
  }),
];
