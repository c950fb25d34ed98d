/**
 * The set of Msg types the node accepts, keyed by type URL, plus the Any resolvers strict decoding
 * needs. Built once at startup from the contract modules' MsgDefinitions.
 */

import type { AnyType, ModuleRegistry, MsgDefinition } from "../../contracts/types.js";
import type { AnyResolver, MessageSchema } from "../codec/schema.js";
import { PUBKEY_SCHEMAS } from "./schemas.js";

export type { AnyType } from "../../contracts/types.js";

const TYPE_URL = /^\/[A-Za-z_][A-Za-z0-9_.]*$/;

export class MsgRegistry {
  private readonly msgs = new Map<string, MsgDefinition<unknown>>();
  private readonly bodyAnys = new Map<string, MessageSchema>();

  /**
   * Resolves type URLs inside TxBody: Msgs and the extra Any types. Whether a top-level message is
   * really a Msg is checked by decodeTx, which then needs `get`.
   */
  readonly resolveBodyAny: AnyResolver = (typeUrl) => this.bodyAnys.get(typeUrl);

  /** Resolves type URLs inside AuthInfo: public keys only. */
  readonly resolveAuthInfoAny: AnyResolver = (typeUrl) =>
    Object.hasOwn(PUBKEY_SCHEMAS, typeUrl) ? PUBKEY_SCHEMAS[typeUrl] : undefined;

  /** Throws (a programming error, at startup) on a malformed or duplicate type URL. */
  constructor(defs: readonly MsgDefinition<unknown>[], anyTypes: readonly AnyType[] = []) {
    for (const def of defs) {
      this.add(def.typeUrl, def.schema);
      this.msgs.set(def.typeUrl, def);
    }
    for (const t of anyTypes) this.add(t.typeUrl, t.schema);
  }

  /** Every Msg and extra Any type of the modules. */
  static fromModules(modules: ModuleRegistry): MsgRegistry {
    return new MsgRegistry(
      modules.modules.flatMap((m) => m.msgs) as readonly MsgDefinition<unknown>[],
      modules.modules.flatMap((m) => m.anyTypes ?? []),
    );
  }

  private add(typeUrl: string, schema: MessageSchema): void {
    if (!TYPE_URL.test(typeUrl))
      throw new Error(`MsgRegistry: malformed type URL ${JSON.stringify(typeUrl)}`);
    if (this.bodyAnys.has(typeUrl)) throw new Error(`MsgRegistry: duplicate type URL ${typeUrl}`);
    this.bodyAnys.set(typeUrl, schema);
  }

  get(typeUrl: string): MsgDefinition<unknown> | undefined {
    return this.msgs.get(typeUrl);
  }

  has(typeUrl: string): boolean {
    return this.msgs.has(typeUrl);
  }

  get typeUrls(): string[] {
    return [...this.msgs.keys()];
  }
}
