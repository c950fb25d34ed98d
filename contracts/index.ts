/** The contract modules of a VIVIM chain, in genesis and end-block order. */
import { anchorModule } from "./anchor/module.js";
import { authModule } from "./auth/module.js";
import { bankModule } from "./bank/module.js";
import { cardsModule } from "./cards/module.js";
import { escrowModule } from "./escrow/module.js";
import { evidenceModule } from "./evidence/module.js";
import { govModule } from "./gov/module.js";
import { identityModule } from "./identity/module.js";
import { labelsModule } from "./labels/module.js";
import { reputationModule } from "./reputation/module.js";
import { socialModule } from "./social/module.js";
import { treasuryModule } from "./treasury/module.js";
import type { ContractModule, ModuleRegistry, MsgDefinition } from "./types.js";
import { validatorsModule } from "./validators/module.js";
import { workersModule } from "./workers/module.js";

export function createModuleRegistry(modules: readonly ContractModule[]): ModuleRegistry {
  const msgs = new Map<string, MsgDefinition<unknown>>();
  const names = new Set<string>();
  for (const m of modules) {
    if (names.has(m.name)) throw new Error(`duplicate module ${m.name}`);
    names.add(m.name);
    for (const def of m.msgs) {
      if (msgs.has(def.typeUrl)) throw new Error(`message ${def.typeUrl} registered twice`);
      msgs.set(def.typeUrl, def as MsgDefinition<unknown>);
    }
  }
  return { modules, msg: (typeUrl) => msgs.get(typeUrl) };
}

export const VIVIM_MODULES: readonly ContractModule[] = [
  authModule,
  bankModule,
  identityModule,
  socialModule,
  labelsModule,
  reputationModule,
  escrowModule,
  treasuryModule,
  workersModule,
  anchorModule,
  // Runs passed proposals' messages in its end block, before validators applies what they queue.
  govModule,
  // Read-only views over the modules above.
  cardsModule,
  evidenceModule,
  // After evidence, so an update it queues is applied in the same end block.
  validatorsModule,
];

export function defaultModuleRegistry(): ModuleRegistry {
  return createModuleRegistry(VIVIM_MODULES);
}
