/**
 * Query indexes: keys whose second byte (a module's sub-prefix) is 0xE0 or above. Handlers write
 * them like any state and queries read them, but they are not hashed into the app hash: they hold
 * nothing a light client needs proven (feeds, a thread's ordering, reverse follower lists — all
 * derived from records that are in the tree), and each hashed key costs a path of tree nodes per
 * block. Every node still derives them identically, block by block, so answers agree everywhere.
 *
 * The rule for module authors: a handler may write an index key but must never read one to decide
 * anything, so that everything a decision depends on is covered by the app hash.
 */
export const INDEX_SUBPREFIX_START = 0xe0;

export function isIndexKey(key: Uint8Array): boolean {
  return key.length >= 2 && key[1]! >= INDEX_SUBPREFIX_START;
}
