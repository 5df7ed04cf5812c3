import loadHighs from "highs";
import type { MipSolver } from "../domain/plan-mip";

// HiGHS is WebAssembly: loaded once when the module is first imported, then solving is synchronous.
const highs = await loadHighs();

/** Seconds one plan may spend in the exact solver before the planner keeps its own answer. */
const TIME_LIMIT_SECONDS = 5;

/** HiGHS as the planner's exact solver: the optimum's column values, or null when it proved none in time. */
export const highsSolver: MipSolver = (lp) => {
  const result = highs.solve(lp, { output_flag: false, mip_rel_gap: 0, mip_abs_gap: 0, time_limit: TIME_LIMIT_SECONDS });
  if (result.Status !== "Optimal") return null;
  const values: Record<string, number> = {};
  for (const [name, column] of Object.entries(result.Columns)) values[name] = (column as { Primal: number }).Primal;
  return values;
};
