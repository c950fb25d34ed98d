// Types of node-flags.mjs, for the TypeScript tests that launch nodes.
export declare const NODE_V8_FLAGS: readonly string[];
