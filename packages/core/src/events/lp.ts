import highsModule, { type Highs } from 'highs';

// highs ships CommonJS typings beside an ES module build: TypeScript sees the loader as
// `default` of the namespace, Node's ESM import gives the loader itself.
const loadHighs = ((highsModule as unknown as { default?: unknown }).default ?? highsModule) as typeof highsModule.default;

let loading: Promise<Highs> | undefined;

/**
 * HiGHS compiled to WebAssembly, loaded once per process (0.1-0.7 s). The first large
 * solve in a process runs partly in V8's baseline code until the optimised tier is
 * compiled in the background (measured: 8-9 s for the first 300 × 80 solve on a loaded
 * machine, 1.3-2.5 s afterwards). Compiling eagerly with --no-liftoff made loading take
 * 21 s under the same load, so the default tiering stays.
 */
export function highs(): Promise<Highs> {
  loading ??= loadHighs();
  return loading;
}

/** `maximize c·x` subject to `A·x ≤ rowUpper`, `lower ≤ x ≤ 1`; A is 0/1 in compressed columns. */
export interface PackingLp {
  readonly cost: Float64Array;
  readonly lower: Float64Array;
  /** Column j has its rows at `rows[starts[j]] … rows[starts[j + 1] - 1]`, each with coefficient 1. */
  readonly starts: Int32Array;
  readonly rows: Int32Array;
  readonly rowUpper: Float64Array;
}

export type LpOutcome =
  | { readonly status: 'optimal'; readonly objective: number; readonly x: Float64Array; readonly rowDual: Float64Array }
  | { readonly status: 'infeasible' | 'time-limit' | 'failed' };

/**
 * Solves the LP with HiGHS's interior-point method and crossover: measured on a
 * 300 × 80 event (12k columns) at 0.5–0.8 s against 1.8–2.6 s for its dual simplex, and a
 * vertex solution, which for these packing rows is integral or nearly so.
 */
export async function solvePackingLp(lp: PackingLp, timeLimitSeconds: number): Promise<LpOutcome> {
  let solver: Highs;
  try {
    solver = await highs();
  } catch {
    return { status: 'failed' };
  }
  const numCols = lp.cost.length;
  const numRows = lp.rowUpper.length;
  if (numCols === 0) return { status: 'optimal', objective: 0, x: new Float64Array(0), rowDual: new Float64Array(numRows) };
  const model = {
    numCols,
    numRows,
    sense: solver.constants.objectiveSense.maximize,
    colCost: lp.cost,
    colLower: lp.lower,
    colUpper: new Float64Array(numCols).fill(1),
    rowLower: new Float64Array(numRows).fill(-solver.infinity),
    rowUpper: lp.rowUpper,
    matrix: { format: 'csc' as const, numRows, numCols, starts: lp.starts, indices: lp.rows, values: new Float64Array(lp.rows.length).fill(1) },
  };
  try {
    return solver.withModel(model, (m) => {
      m.options.set({ output_flag: false, solver: 'ipm', time_limit: Math.max(0.1, timeLimitSeconds) });
      m.run();
      const status = m.getModelStatus();
      const codes = solver.constants.modelStatus;
      if (status === codes.optimal) {
        const solution = m.getSolution();
        return { status: 'optimal' as const, objective: m.getObjectiveValue(), x: Float64Array.from(solution.colValue), rowDual: Float64Array.from(solution.rowDual) };
      }
      if (status === codes.infeasible) return { status: 'infeasible' as const };
      if (status === codes.timeLimit) return { status: 'time-limit' as const };
      return { status: 'failed' as const };
    });
  } catch {
    return { status: 'failed' };
  }
}
