import { runBackendsBench } from "./backends.bench";
import { runLookupBench } from "./lookup.bench";
import { printFeedBench, runFeedBench } from "./feed.bench";
import { runImportBench } from "./import.bench";
import { runPlanBench } from "./plan.bench";
import { runPlanQualityBench } from "./plan-quality.bench";

const only = process.argv[2];
const benches: [string, () => Promise<void>][] = [
  ["plan", runPlanBench],
  ["quality", runPlanQualityBench],
  ["lookup", runLookupBench],
  ["feed", async () => printFeedBench(await runFeedBench())],
  ["import", runImportBench],
  ["backends", runBackendsBench],
];
for (const [name, run] of benches) {
  if (only && only !== name) continue;
  console.log(`\n== ${name} ==`);
  await run();
}
