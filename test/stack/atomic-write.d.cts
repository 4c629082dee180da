export declare function writeFileAtomic(path: string, text: string): Promise<void>;
export declare function writeFileAtomicSync(path: string, text: string): void;
/** `save(render)` resolves once text at least as new as `render()` at call time is on disk. */
export declare function createSerialWriter(path: string): (render: () => string) => Promise<void>;
