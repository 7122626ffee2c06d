import packageJson from "../package.json";

/** The deployed code's version, as `/healthz` reports it. */
export const PARLEY_VERSION: string = packageJson.version;
