import shop from "../../bots/shop.json";

/** Example bots shipped in the bundle: the registry publishes them when it first starts. */
export const BUNDLED_BOTS: readonly unknown[] = [shop];
