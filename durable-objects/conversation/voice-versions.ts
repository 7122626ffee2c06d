import type { BotCatalog } from "../../platform/bot-catalog.js";
import type { CompiledBot } from "../../src/dialog/index.js";
import type { AsrStep, TtsStep, VoiceOrder } from "../../src/speech/job.js";

/** What the voice versions need from their actor. */
export interface VoiceVersionsHost {
  readonly catalog: BotCatalog;
  readonly userId: string;
  botId(): string;
  /** The version the user's open flow started on, if one is open. */
  pinnedVersion(): string | null;
}

/**
 * Which bot version a voice job runs on, and that version's speech settings. A job takes the
 * version the user's next turn would run on when it is registered (their open flow's, else
 * their cohort's) and keeps it to the end: its ASR, its TTS and every retry use that version's
 * `speech` section, whatever the rollout does meanwhile.
 */
export class VoiceVersions {
  constructor(private readonly host: VoiceVersionsHost) {}

  /** The version a job registered now runs on. */
  async current(): Promise<string> {
    return (await this.currentBot()).version;
  }

  /** A step for a consumer: a provider call gets its job's version and that version's `speech` section. */
  async order(step: AsrStep | TtsStep): Promise<VoiceOrder> {
    if (step.kind !== "transcribe" && step.kind !== "synthesize") return step;
    // A job registered before versions were recorded follows the user's current version.
    const bot = step.botVersion === null ? await this.currentBot() : await this.host.catalog.version(this.host.botId(), step.botVersion);
    return { ...step, botVersion: bot.version, speech: bot.definition.speech ?? {} };
  }

  private async currentBot(): Promise<CompiledBot> {
    const { host } = this;
    return (await host.catalog.resolve(host.botId(), host.userId, host.pinnedVersion())).bot;
  }
}
