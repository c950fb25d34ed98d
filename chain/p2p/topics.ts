/** Gossip topics and request/response protocols, namespaced by chain id so two networks never mix. */
export interface ChainTopics {
  readonly txs: string;
  readonly proposals: string;
  readonly votes: string;
}

export function chainTopics(chainId: string): ChainTopics {
  return {
    txs: `/vivim/${chainId}/txs/2`,
    proposals: `/vivim/${chainId}/consensus/proposal/1`,
    votes: `/vivim/${chainId}/consensus/vote/1`,
  };
}

export function blockSyncProtocol(chainId: string): string {
  return `/vivim/${chainId}/blocksync/1.0.0`;
}

export function consensusCatchupProtocol(chainId: string): string {
  return `/vivim/${chainId}/consensus-catchup/1.0.0`;
}
