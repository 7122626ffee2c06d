import springLottery from "../../bots/campaigns/spring-lottery.json";
import type { CampaignDefinition } from "../../src/campaign/schema.js";
import { validateCampaign } from "../../src/campaign/schema.js";

/** Example campaigns shipped in the bundle: a coordinator asked about one of these ids creates it. */
const BUNDLED: readonly unknown[] = [springLottery];

let checked: Map<string, CampaignDefinition> | undefined;

/** The bundled campaigns by id, validated once per isolate; an invalid one is a build mistake and throws. */
export function bundledCampaigns(): ReadonlyMap<string, CampaignDefinition> {
  if (!checked) {
    checked = new Map();
    for (const json of BUNDLED) {
      const result = validateCampaign(json);
      if (!result.ok) throw new Error(`bundled campaign is invalid at ${result.path}: ${result.message}`);
      checked.set(result.campaign.id, result.campaign);
    }
  }
  return checked;
}
