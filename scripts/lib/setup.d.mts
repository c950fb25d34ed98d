// Types of setup.mjs, for the TypeScript tests that use its helpers (the app's browser tests).
export declare const ROOT: string;
export declare const CHROMIUM_PATH: string;
export declare function ensureDependencies(): void;
export declare function ensureBuild(): void;
export declare function ensureRedisServer(): boolean;
export declare function ensureUiBuild(): void;
export declare function ensureChromium(): boolean;
