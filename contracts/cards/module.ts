/**
 * The cards module: read-only views composed from other modules (no Msgs, no state, no genesis),
 * listed after them so their handlers are all registered.
 */
import { GenesisFieldError } from "../lib/genesis.js";
import type { ContractModule } from "../types.js";
import { cardQuery } from "./card.js";

export const cardsModule: ContractModule = {
  name: "cards",
  msgs: [],
  queries: { "/vivim.cards.v1.Query/Card": cardQuery },
  validateGenesis(state) {
    if (
      state !== undefined &&
      (typeof state !== "object" || state === null || Object.keys(state).length > 0)
    ) {
      throw new GenesisFieldError("app_state.cards", "the cards module has no genesis state");
    }
  },
  initGenesis() {},
};
