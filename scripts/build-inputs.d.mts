export declare const BUILD_INPUTS: readonly string[];
