export {
  decodeNode,
  encodeInternal,
  encodeLeaf,
  hashNode,
  keyPath,
  type TreeNode,
  type TreeNodes,
  valueHashOf,
} from "./node.js";
export {
  decodeStateProof,
  encodeStateProof,
  type ProofLeaf,
  type ProofLevel,
  type StateProof,
  type StateProofJSON,
  stateProofFromJSON,
  stateProofToJSON,
  verifyStateProof,
} from "./proof.js";
export {
  AuthenticatedTree,
  type AuthenticatedTreeOptions,
  type CreatedNodes,
  EMPTY_ROOT,
  type NodeReader,
  type TreeUpdateOptions,
  type TreeUpdateResult,
  type TreeWrite,
} from "./tree.js";
