/** The machine and the versions a result was measured with. */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, totalmem } from "node:os";
import type { MachineInfo } from "./report.js";

function versionOf(packageJson: string): string {
  try {
    const parsed = JSON.parse(readFileSync(packageJson, "utf8")) as { version?: unknown };
    return typeof parsed.version === "string" ? parsed.version : "?";
  } catch {
    return "?";
  }
}

/** The package.json of `name` as `from` resolves it (wrangler carries its own miniflare and workerd). */
function resolvedVersion(name: string, from: string): string {
  try {
    return versionOf(createRequire(from).resolve(`${name}/package.json`));
  } catch {
    return "?";
  }
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (match?.[1]) return match[1].trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? "?";
}

export function machineInfo(root: string): MachineInfo {
  const wranglerPackage = `${root}/node_modules/wrangler/package.json`;
  const miniflarePackage = createRequire(wranglerPackage).resolve("miniflare/package.json");
  return {
    cpus: cpus().length,
    cpuModel: cpuModel(),
    memoryGiB: totalmem() / 1024 ** 3,
    node: process.version,
    wrangler: versionOf(wranglerPackage),
    miniflare: versionOf(miniflarePackage),
    workerd: resolvedVersion("workerd", miniflarePackage),
    agents: versionOf(`${root}/node_modules/agents/package.json`),
    platform: `${process.platform} ${process.arch}`,
  };
}
