// Types of ports.mjs, for the TypeScript tests that start nodes.
export declare function portAllocator(base: number, size: number): () => Promise<number>;
export declare const freePort: () => Promise<number>;
