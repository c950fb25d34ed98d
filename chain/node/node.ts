/**
 * A VIVIM node: opens its home (config, genesis, keys, database), restores the last committed
 * block, and runs the application, mempool, consensus and the RPC/API servers with a start/stop
 * lifecycle. Everything is passed down explicitly; nothing is global.
 */
import "../codec/writer-alloc.js";
import path from "node:path";
import { hasEvidence } from "../../contracts/evidence/keeper.js";
import { defaultModuleRegistry } from "../../contracts/index.js";
import type { ModuleRegistry } from "../../contracts/types.js";
import { withGenesisValidators } from "../../contracts/validators/genesis.js";
import { AnchorService } from "../anchor/service.js";
import { MerkleRootWorker } from "../block/merkle-worker.js";
import {
  loadConfig,
  type NodeConfig,
  parseGasPrices,
  parseListenAddress,
  parseNodeIds,
  parsePersistentPeers,
} from "../config/config.js";
import { type GenesisDoc, loadGenesis } from "../config/genesis.js";
import { homePaths, loadNodeKey, loadValidatorKey, type NodeKey } from "../config/home.js";
import { blockIdOf } from "../consensus/block-builder.js";
import { ConsensusEngine, type ConsensusEngineDeps } from "../consensus/engine.js";
import { FileValidatorSigner } from "../consensus/signer.js";
import { genesisValidatorSchedule } from "../consensus/validator-schedule.js";
import type { ValidatorSet } from "../consensus/validator-set.js";
import { ConsensusWal } from "../consensus/wal.js";
import { fromBase64, fromHex, sha256 } from "../crypto/hash.js";
import { selectSecp256k1Backend } from "../crypto/secp256k1-native.js";
import { SignatureVerifierPool } from "../crypto/verify-pool.js";
import { BlockStore, STATE_FORMAT } from "../db/block-store.js";
import { Database } from "../db/database.js";
import { ValidatorSetStore } from "../db/validator-store.js";
import { DmNode, dmGrantFromApp } from "../dm/dm-node.js";
import { EvidencePool, evidenceParamsFromGenesis } from "../evidence/pool.js";
import { Application } from "../execution/app.js";
import { Keyring } from "../keys/keyring.js";
import { Mempool } from "../mempool/mempool.js";
import { NodeMetrics } from "../metrics/metrics.js";
import { PresenceNode } from "../presence/presence-node.js";
import { CommittedState } from "../state/committed.js";
import { EMPTY_ROOT } from "../state/tree/index.js";
import { DEFAULT_TX_LIMITS } from "../tx/decode.js";
import { MsgRegistry } from "../tx/msg-registry.js";
import { NIL_BLOCK_ID } from "../types/block.js";
import { timestampFromRfc3339 } from "../types/timestamp.js";
import { createLogger, type Logger } from "../util/logger.js";
import { NodeNetwork } from "./network.js";

export interface NodeOptions {
  readonly home: string;
  /** Replaces the config file (tests, embedded devnets). */
  readonly config?: NodeConfig;
  readonly logger?: Logger;
  readonly modules?: ModuleRegistry;
  /** Consensus settings that are not in the config file (tests shorten the stall time). */
  readonly consensus?: Pick<ConsensusEngineDeps, "stallCatchupMs">;
}

/** Everything the servers read from: the node's components, exposed read-mostly. */
export interface NodeComponents {
  readonly config: NodeConfig;
  readonly genesis: GenesisDoc;
  readonly nodeKey: NodeKey;
  /** This node's consensus public key (ed25519); it votes if the key is in the validator set. */
  readonly validatorPubKey: Uint8Array;
  readonly db: Database;
  readonly blockStore: BlockStore;
  /** The validator set in force at every height (commits verify against it). */
  readonly validatorStore: ValidatorSetStore;
  readonly app: Application;
  readonly mempool: Mempool;
  readonly consensus: ConsensusEngine;
  readonly network: NodeNetwork;
  /** The validator set deciding the next block. */
  readonly validators: ValidatorSet;
  readonly metrics: NodeMetrics;
  readonly logger: Logger;
  /** Direct messages: the store, the service and the relay between nodes. */
  readonly dm: DmNode;
  /** Presence and typing indicators: ephemeral, relayed between nodes, never stored. */
  readonly presence: PresenceNode;
}

export class VivimNode implements NodeComponents {
  private constructor(
    readonly config: NodeConfig,
    readonly genesis: GenesisDoc,
    readonly nodeKey: NodeKey,
    readonly validatorPubKey: Uint8Array,
    readonly db: Database,
    readonly blockStore: BlockStore,
    readonly validatorStore: ValidatorSetStore,
    readonly app: Application,
    readonly mempool: Mempool,
    readonly consensus: ConsensusEngine,
    readonly network: NodeNetwork,
    readonly metrics: NodeMetrics,
    readonly logger: Logger,
    private readonly verifier: SignatureVerifierPool,
    private readonly merkleWorker: MerkleRootWorker,
    private readonly wal: ConsensusWal,
    readonly dm: DmNode,
    readonly presence: PresenceNode,
    /** The anchoring service, when `[anchor] enabled = true`. */
    readonly anchor: AnchorService | undefined,
  ) {}

  get chainId(): string {
    return this.genesis.chain_id;
  }

  static async open(opts: NodeOptions): Promise<VivimNode> {
    const paths = homePaths(path.resolve(opts.home));
    const config = opts.config ?? loadConfig(paths.configFile);
    const logger = opts.logger ?? createLogger({ level: config.log_level, format: config.log_format });
    const modules = opts.modules ?? defaultModuleRegistry();
    const genesis = loadGenesis(paths.genesisFile, {
      validateAppState: (appState) => {
        for (const m of modules.modules) m.validateGenesis(appState[m.name]);
      },
    });
    const nodeKey = loadNodeKey(paths.nodeKeyFile);
    const validatorKey = loadValidatorKey(paths.privValidatorKeyFile);

    const db = new Database(path.join(paths.dataDir, "vivim.db"));
    await db.open();
    const blockStore = new BlockStore(db);
    await blockStore.load();
    const latest =
      blockStore.latestHeight > 0n ? await blockStore.getBlock(blockStore.latestHeight) : undefined;
    const genesisRoot = await blockStore.genesisAppHash();
    const stateFormat = await blockStore.stateFormat();
    if (genesisRoot && stateFormat !== STATE_FORMAT) {
      await db.close();
      throw new Error(
        `${paths.dataDir} holds state tree format ${stateFormat}, written by an earlier VIVIM; this version ` +
          `reads format ${STATE_FORMAT} (16-ary tree) only, and its app hashes differ: start the ` +
          "network over (npm start -- --fresh, or a new home with vivim init)",
      );
    }
    const state = new CommittedState(db, latest?.header.appHash ?? genesisRoot ?? EMPTY_ROOT);

    const genesisTime = timestampFromRfc3339(genesis.genesis_time)!;
    const secp256k1 = selectSecp256k1Backend(config.verify.secp256k1);
    if (config.verify.secp256k1 === "native" && secp256k1 !== "libsecp256k1")
      logger.warn(
        {},
        "libsecp256k1's binding did not load; verifying secp256k1 with node:crypto (~7x slower)",
      );
    else logger.info({ secp256k1 }, "signature verification");
    const verifier = new SignatureVerifierPool(
      config.verify.threads > 0 ? { threads: config.verify.threads } : {},
    );
    const merkleWorker = new MerkleRootWorker();
    const app = new Application({
      chainId: genesis.chain_id,
      modules,
      msgRegistry: MsgRegistry.fromModules(modules),
      state,
      txLimits: { ...DEFAULT_TX_LIMITS, maxTxBytes: config.mempool.max_tx_bytes },
      minGasPrices: (parseGasPrices(config.minimum_gas_prices) ?? []).map((p) => ({
        denom: p.denom,
        amount: Number(p.amount),
      })),
      verifier,
      merkleWorker,
      latestBlock: {
        chainId: genesis.chain_id,
        height: blockStore.latestHeight,
        time: latest?.header.time ?? genesisTime,
      },
    });

    const initialHeight = BigInt(genesis.initial_height);
    const validatorStore = new ValidatorSetStore(db);
    if (!latest && !genesisRoot) {
      // First start: run genesis and persist its state with the genesis app hash, atomically.
      const writes = app
        .initGenesis(withGenesisValidators(genesis.app_state, genesis.validators), {
          chainId: genesis.chain_id,
          height: 0n,
          time: genesisTime,
        })
        .bufferedWrites();
      const update = state.computeRoot(writes);
      const { root, nodes } = update;
      const schedule = genesisValidatorSchedule(
        initialHeight,
        genesis.validators.map((v) => ({ pubKey: fromBase64(v.pub_key.value), power: BigInt(v.power) })),
      );
      await db.write(
        [
          ...state.commitOps(writes, nodes),
          ...blockStore.genesisOps(root),
          ...validatorStore.genesisOps(schedule),
        ],
        { sync: true },
      );
      state.markCommitted(writes, update);
      logger.info(
        { chainId: genesis.chain_id, appHash: Buffer.from(root).toString("hex") },
        "initialised chain from genesis",
      );
    }
    const validators = await validatorStore.loadSchedule(blockStore.latestHeight + 1n);
    if (!validators) {
      throw new Error(
        `${paths.dataDir} holds no validator sets for height ${blockStore.latestHeight + 1n}; ` +
          "it was written by an older VIVIM (start the devnet with --fresh)",
      );
    }
    const signer = new FileValidatorSigner(
      fromHex(validatorKey.address),
      validatorKey.publicKey,
      validatorKey.privateKey,
      paths.privValidatorStateFile,
    );
    const mempool = new Mempool(app, {
      size: config.mempool.size,
      maxTxsBytes: config.mempool.max_txs_bytes,
      maxTxBytes: config.mempool.max_tx_bytes,
      maxTxsPerAccount: config.mempool.max_txs_per_account,
    });
    const metrics = new NodeMetrics();
    metrics.height.set(Number(blockStore.latestHeight));
    const seenCommit = latest ? await blockStore.getSeenCommit(latest.header.height) : undefined;
    const c = config.consensus;
    const maxBlockBytes = Number(genesis.consensus_params.block.max_bytes);
    // A record holds at most one proposal with its whole block.
    const wal = new ConsensusWal(path.join(paths.dataDir, "cs.wal"), {
      maxPayloadBytes: maxBlockBytes + 64 * 1024,
    });
    const evidence: EvidencePool = new EvidencePool({
      chainId: genesis.chain_id,
      params: evidenceParamsFromGenesis(genesis.consensus_params.evidence),
      latest: { height: blockStore.latestHeight, time: latest?.header.time ?? genesisTime },
      validatorSetAt: (h): ValidatorSet | undefined => consensus.validatorSetOf(h),
      blockTimeAt: (h) => blockStore.getBlockSync(h)?.header.time,
      isCommitted: (ev) => hasEvidence(state, ev),
    });
    const consensus: ConsensusEngine = new ConsensusEngine(
      {
        chainId: genesis.chain_id,
        db,
        app,
        blockStore,
        mempool,
        validators,
        initialHeight,
        validatorStore,
        evidence,
        wal,
        signer,
        timeouts: {
          proposeMs: c.timeout_propose,
          proposeDeltaMs: c.timeout_propose_delta,
          prevoteMs: c.timeout_prevote,
          prevoteDeltaMs: c.timeout_prevote_delta,
          precommitMs: c.timeout_precommit,
          precommitDeltaMs: c.timeout_precommit_delta,
          commitMs: c.timeout_commit,
          createEmptyBlocks: c.create_empty_blocks,
          emptyBlocksIntervalMs: c.create_empty_blocks_interval,
        },
        maxBlockBytes,
        maxBlockGas: BigInt(genesis.consensus_params.block.max_gas),
        consensusHash: sha256(new TextEncoder().encode(JSON.stringify(genesis.consensus_params))),
        metrics,
        logger,
        ...opts.consensus,
      },
      latest && seenCommit
        ? {
            height: latest.header.height,
            time: latest.header.time,
            blockId: blockIdOf(latest),
            commit: seenCommit,
          }
        : {
            height: initialHeight - 1n,
            time: genesisTime,
            blockId: NIL_BLOCK_ID,
            commit: { height: 0n, round: 0, blockId: NIL_BLOCK_ID, signatures: [] },
          },
    );
    if (latest) logger.info({ height: latest.header.height.toString() }, "restored last committed block");
    const persistentPeers = parsePersistentPeers(config.p2p.persistent_peers) ?? [];
    const network = new NodeNetwork({
      chainId: genesis.chain_id,
      nodeKey,
      listen: parseListenAddress(config.p2p.laddr)!,
      persistentPeers,
      allowedNodeIds: new Set([
        ...genesis.validators.flatMap((v) => (v.node_id ? [v.node_id] : [])),
        ...persistentPeers.map((p) => p.id),
        ...(parseNodeIds(config.p2p.allowed_node_ids) ?? []),
      ]),
      maxTxBytes: config.mempool.max_tx_bytes,
      maxBlockBytes,
      engine: consensus,
      mempool,
      blockStore,
      metrics,
      logger,
    });
    consensus.attachNetwork(network);
    const dm = new DmNode(
      paths.dataDir,
      genesis.chain_id,
      network.host,
      logger.child({ component: "dm" }),
      dmGrantFromApp(app),
    );
    const presence = new PresenceNode(
      nodeKey.id,
      genesis.chain_id,
      network.host,
      () => dm.store.policy,
      logger.child({ component: "presence" }),
    );
    const anchor = config.anchor.enabled
      ? new AnchorService({
          config: config.anchor,
          chainId: genesis.chain_id,
          minimumGasPrices: config.minimum_gas_prices,
          consensus,
          app,
          mempool,
          keyring: new Keyring({
            home: paths.home,
            backend: config.anchor.keyring_backend,
            // A node runs unattended: the file keyring's passphrase comes from the environment only.
            passphrase: () => process.env.VIVIM_KEYRING_PASSPHRASE ?? "",
          }),
          metricsRegistry: metrics.registry,
          logger,
        })
      : undefined;
    return new VivimNode(
      config,
      genesis,
      nodeKey,
      validatorKey.publicKey,
      db,
      blockStore,
      validatorStore,
      app,
      mempool,
      consensus,
      network,
      metrics,
      logger,
      verifier,
      merkleWorker,
      wal,
      dm,
      presence,
      anchor,
    );
  }

  /** The validator set deciding the next block. */
  get validators(): ValidatorSet {
    return this.consensus.validatorSets.current;
  }

  async start(): Promise<void> {
    await this.verifier.start();
    await this.merkleWorker.start();
    await this.wal.open();
    await this.dm.start();
    this.presence.start();
    await this.network.start();
    // Before consensus, so a key that does not unlock stops the start and no commit is missed.
    await this.anchor?.start();
    this.consensus.start();
  }

  async stop(): Promise<void> {
    await this.anchor?.stop();
    await this.consensus.stop();
    await this.network.stop();
    this.presence.stop();
    await this.dm.stop();
    await this.wal.close();
    await this.verifier.stop();
    await this.merkleWorker.stop();
    await this.db.close();
  }
}
