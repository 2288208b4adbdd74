/**
 * Continual-learning driver over a sequence of training phases (tasks, interleaved data, stream
 * subsets), shared by multitask, interleaved and stream experiments:
 *
 * - each phase trains `epochsPerPhase` epochs with {@linkcode trainEpoch};
 * - the optimizer state is optionally reset at each phase start (the metaplastic BNN's multitask
 *   runs do; stream learning does not);
 * - after each epoch (or each phase) every evaluation set is tested; with `normScenario: "task"`
 *   evaluation set j < current phase uses the normalisation state saved at the end of phase j
 *   (Laborieux scenario "task"), otherwise the live state ("shared", task-agnostic);
 * - a method's hooks (penalties, consolidation at phase end) run inside the same loop;
 * - each phase is one resumable unit (`cached`): model, optimizer, method, normalisation store
 *   and shuffling-rng state are returned from it and restored, so a killed run resumes at the
 *   next phase with identical numbers.
 *
 * @example
 * ```ts ignore
 * import { runPhases } from "./continual.ts";
 * const res = await runPhases({
 *   learner, rng, epochsPerPhase: 3, batchSize: 100, testBatchSize: 1000,
 *   phases: { length: 3, get: (i) => ({ name: stream.names[i], train: stream.get(i).train }) },
 *   evals: { length: 3, get: (i) => ({ name: stream.names[i], data: stream.get(i).test }) },
 *   resetOptimizer: true, normScenario: "task",
 * });
 * ```
 * @module
 */
import type { Dataset } from "../data/datasets.ts";
import { getModelState, type ModelState, setModelState } from "../nn/model.ts";
import { type NormSnapshot, TaskNormStates } from "../nn/norm.ts";
import type { Rng, RngState } from "../rng.ts";
import { evaluate } from "./evaluate.ts";
import {
  type BatchSource,
  type Learner,
  paramBuffers,
  type StepContext,
  stepsPerEpoch,
  trainEpoch,
} from "./loop.ts";

/** A training phase: a named training set. */
export interface Phase {
  /** Name for tables. */
  name: string;
  /** Training data of the phase. */
  train: Dataset | BatchSource;
}

/** A named test set evaluated during the run. */
export interface EvalSet {
  /** Name for tables. */
  name: string;
  /** Test data. */
  data: Dataset;
}

/** A list, or a lazy indexed source (such as a `TaskStream` adapter), of items. */
export type Source<T> = readonly T[] | { readonly length: number; get(i: number): T };

function at<T>(s: Source<T>, i: number): T {
  return Array.isArray(s) ? (s as readonly T[])[i] : (s as { get(i: number): T }).get(i);
}

/** What a phase-end hook receives. */
export interface PhaseInfo<S> {
  /** Phase index, from 0. */
  index: number;
  /** The phase. */
  phase: Phase;
  /** The learner (model already trained on the phase). */
  learner: Learner<S>;
  /** Parameter values at the start of the phase (copies). */
  paramsAtStart: Float32Array[];
}

/** A method acting in the training loop, with plain-data state `M` (checkpointed per phase). */
export interface PhaseHooks<M, S = unknown> {
  /** Method name. */
  name: string;
  /** Initial method state. */
  init(learner: Learner<S>): M;
  /** Before each optimizer step (e.g. add a penalty gradient to `ctx.grads`). */
  beforeStep?(ctx: StepContext, state: M, phase: number): void;
  /** After each optimizer step (e.g. SI's path integral). */
  afterStep?(ctx: StepContext, state: M, phase: number): void;
  /** At the end of each phase (e.g. Fisher estimation and consolidation). */
  phaseEnd?(info: PhaseInfo<S>, state: M): void | Promise<void>;
}

/** One evaluation of the run. */
export interface CurveRow {
  /** Phase index (0-based) being trained. */
  phase: number;
  /** Phase name. */
  phaseName: string;
  /** Epoch within the phase (1-based). */
  epoch: number;
  /** Epochs done since the start of the run. */
  globalEpoch: number;
  /** Evaluation set index. */
  eval: number;
  /** Evaluation set name. */
  evalName: string;
  /** Test accuracy in [0, 1]. */
  accuracy: number;
  /** Mean test cross-entropy. */
  loss: number;
  /** Mean training loss of the epoch. */
  trainLoss: number;
  /** Extra columns added by callers. */
  [key: string]: number | string;
}

/** Options of {@linkcode runPhases}. */
export interface RunPhasesOptions<S, M> {
  /** Model, optimizer and optimizer state. */
  learner: Learner<S>;
  /** Training phases, in order. */
  phases: Source<Phase>;
  /** Evaluation sets (for the "task" scenario, set j belongs to phase j). */
  evals: Source<EvalSet>;
  /** Epochs per phase. */
  epochsPerPhase: number;
  /** Training batch size. */
  batchSize: number;
  /** Evaluation batch size. */
  testBatchSize: number;
  /** Shuffling random source (its state is checkpointed). */
  rng: Rng;
  /** Fresh optimizer state at the start of every phase. */
  resetOptimizer: boolean;
  /** `"task"`: per-phase normalisation state for earlier evaluation sets; `"shared"`: live state. */
  normScenario: "task" | "shared";
  /** Evaluate after every epoch (default) or only after each phase's last epoch. */
  evalEvery?: "epoch" | "phase";
  /** Method hooks (penalties, consolidation). */
  hooks?: PhaseHooks<M, S>;
  /** Extra data recorded at each phase end (histograms, flip counts), kept in the checkpoint. */
  onPhaseEnd?: (info: PhaseInfo<S>) => unknown;
  /** Resumable units (pass `ctx.cached`); without it everything is computed. */
  cached?: <T>(key: string, compute: () => Promise<T>) => Promise<T>;
  /** Prefix of the unit keys (must identify the run, e.g. `"pmnist-m1.35"`). */
  key?: string;
  /** Progress lines (pass `ctx.progress`). */
  progress?: (
    label: string,
    total: number,
  ) => { tick(n?: number, status?: string): void; done(status?: string): void };
  /** Log lines (pass `ctx.log`). */
  log?: (message: string) => void;
  /** Phases per resumable unit (default 1; larger for long streams of small phases). */
  phasesPerUnit?: number;
}

/** Result of {@linkcode runPhases}. */
export interface RunPhasesResult<M> {
  /** Every evaluation, in order. */
  curves: CurveRow[];
  /** `final[p][j]`: accuracy on evaluation set j after the last epoch of phase p. */
  final: number[][];
  /** Training seconds of every epoch (excluding evaluation). */
  epochSeconds: number[];
  /** `onPhaseEnd` results, one per phase. */
  extras: unknown[];
  /** The method state after the run. */
  methodState: M | null;
  /** The per-phase normalisation store. */
  norms: TaskNormStates;
}

interface PhaseUnit<M> {
  model: ModelState;
  optimizer: unknown;
  method: M | null;
  norms: { task: number; state: NormSnapshot }[];
  rng: RngState;
  rows: CurveRow[];
  epochSeconds: number[];
  extras: unknown[];
}

/** Runs the phases; see the module docs. */
export async function runPhases<S, M = unknown>(
  options: RunPhasesOptions<S, M>,
): Promise<RunPhasesResult<M>> {
  const { learner, phases, evals, epochsPerPhase, rng, hooks } = options;
  if (!(Number.isInteger(epochsPerPhase) && epochsPerPhase >= 1)) {
    throw new RangeError(`epochsPerPhase must be a positive integer, got ${epochsPerPhase}`);
  }
  if (phases.length < 1) throw new RangeError("runPhases needs at least one phase");
  const group = options.phasesPerUnit ?? 1;
  if (!(Number.isInteger(group) && group >= 1)) {
    throw new RangeError(`phasesPerUnit must be a positive integer, got ${group}`);
  }
  const cached = options.cached ?? (<T>(_k: string, f: () => Promise<T>) => f());
  const key = options.key ?? "run";
  const evalEvery = options.evalEvery ?? "epoch";
  const model = learner.model;
  let method: M | null = hooks ? hooks.init(learner) : null;
  let store = new TaskNormStates();
  const evalCache = new Map<number, EvalSet>();
  const evalSet = (j: number): EvalSet => {
    let e = evalCache.get(j);
    if (!e) {
      e = at(evals, j);
      evalCache.set(j, e);
    }
    return e;
  };
  const curves: CurveRow[] = [];
  const final: number[][] = [];
  const epochSeconds: number[] = [];
  const extras: unknown[] = [];

  const trainPhase = async (p: number, rows: CurveRow[], secs: number[]): Promise<unknown> => {
    const phase = at(phases, p);
    if (options.resetOptimizer) learner.state = learner.optimizer.init(paramBuffers(model));
    const paramsAtStart = paramBuffers(model).map((b) => new Float32Array(b));
    const steps = stepsPerEpoch(phase.train.n, options.batchSize);
    const prog = options.progress?.(
      `${phase.name} (${p + 1}/${phases.length})`,
      steps * epochsPerPhase,
    );
    for (let e = 1; e <= epochsPerPhase; e++) {
      const stats = await trainEpoch(learner, phase.train, {
        batchSize: options.batchSize,
        rng,
        progress: prog,
        where: { phase: `${p} (${phase.name})`, epoch: e },
        beforeStep: hooks?.beforeStep ? (ctx) => hooks.beforeStep!(ctx, method as M, p) : undefined,
        afterStep: hooks?.afterStep ? (ctx) => hooks.afterStep!(ctx, method as M, p) : undefined,
      });
      secs.push(stats.seconds);
      if (evalEvery === "epoch" || e === epochsPerPhase) {
        for (let j = 0; j < evals.length; j++) {
          const ev = evalSet(j);
          const norms = options.normScenario === "task" && j < p ? store.get(j) : undefined;
          const r = evaluate(model, ev.data, { batchSize: options.testBatchSize, norms });
          rows.push({
            phase: p,
            phaseName: phase.name,
            epoch: e,
            globalEpoch: p * epochsPerPhase + e,
            eval: j,
            evalName: ev.name,
            accuracy: r.accuracy,
            loss: r.loss,
            trainLoss: stats.loss,
          });
        }
      }
    }
    prog?.done();
    store.save(p, model.norms);
    const info: PhaseInfo<S> = { index: p, phase, learner, paramsAtStart };
    if (hooks?.phaseEnd) await hooks.phaseEnd(info, method as M);
    return options.onPhaseEnd ? options.onPhaseEnd(info) : null;
  };

  for (let p0 = 0; p0 < phases.length; p0 += group) {
    const p1 = Math.min(phases.length, p0 + group);
    const unitKey = group === 1 ? `${key}/phase-${p0}` : `${key}/phases-${p0}-${p1 - 1}`;
    const unit = await cached<PhaseUnit<M>>(unitKey, async () => {
      const rows: CurveRow[] = [], secs: number[] = [], ex: unknown[] = [];
      for (let p = p0; p < p1; p++) ex.push(await trainPhase(p, rows, secs));
      return {
        model: getModelState(model),
        optimizer: options.resetOptimizer ? null : learner.state,
        method,
        norms: store.toJSON(),
        rng: rng.getState(),
        rows,
        epochSeconds: secs,
        extras: ex,
      };
    });
    // Restore from the unit (a no-op in effect when it was just computed).
    setModelState(model, unit.model);
    if (!options.resetOptimizer) learner.state = unit.optimizer as S;
    method = unit.method;
    store = TaskNormStates.fromJSON(unit.norms);
    rng.setState(unit.rng);
    curves.push(...unit.rows);
    epochSeconds.push(...unit.epochSeconds);
    extras.push(...unit.extras);
    for (let p = p0; p < p1; p++) {
      const last = unit.rows.filter((r) => r.phase === p && r.epoch === epochsPerPhase);
      final.push(
        Array.from(
          { length: evals.length },
          (_, j) => last.find((r) => r.eval === j)?.accuracy ?? NaN,
        ),
      );
      if (group === 1 || p === p1 - 1) {
        const acc = final[p].map((a) => (100 * a).toFixed(1)).join(" ");
        options.log?.(`${key}: after ${last[0]?.phaseName ?? p}: accuracies ${acc}`);
      }
    }
  }
  return { curves, final, epochSeconds, extras, methodState: method, norms: store };
}
