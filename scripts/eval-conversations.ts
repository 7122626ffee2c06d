import { evaluateSplits } from "../test/support/conversations/load.js";
import { formatReport } from "../test/support/conversations/report.js";
import { splits } from "../test/support/conversations/schema.js";

/**
 * `npm run eval`: runs the conversation test set (test/fixtures/conversations/) through the
 * pure engine and prints turn accuracy per split and language, then every failing turn.
 * `npm run eval -- dev` (or `held-out`) runs one half.
 */
const wanted = splits.filter((split) => process.argv.length <= 2 || process.argv.includes(split));
const verdicts = await evaluateSplits(wanted);
console.log(formatReport(verdicts, wanted));
