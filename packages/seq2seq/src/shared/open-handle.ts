import { DisposedError, type GenerationResult, type LoadedModel, TextStream, type TokenEvent } from "@proj/core";
import { chainTokenCallbacks, checkLoadOptions, checkOptions } from "@proj/core/internal";
import { type Seq2SeqEngine, seq2seqEngine } from "./engine.js";
import { openSeq2SeqModel, type TaskInfo } from "./open-model.js";
import { HANDLE_OPTION_NAMES } from "./option-names.js";
import type { Seq2SeqHandleOptions } from "./options.js";

/** What every seq2seq handle is built on. @internal */
export interface OpenedHandle<S> {
  /** The loaded model. */
  loaded: LoadedModel;
  /** Its engine: runner, running batch, decoder start. */
  engine: Seq2SeqEngine;
  /** The task's own state, made by `setup`. */
  state: S;
  /** Throws `DisposedError` once the handle is disposed. */
  check(): void;
  /** Sequences decoding now and requests waiting (the handle's `batchStats`). */
  batchStats(): { running: number; queued: number };
  /**
   * A handle's `stream()`: checks the options against `names`, then runs `run` with the caller's `onToken` chained to
   * the stream's.
   */
  stream<O extends { onToken?: (event: TokenEvent) => void }, R extends GenerationResult>(
    options: O | undefined,
    where: string,
    names: readonly string[],
    run: (options: O) => Promise<R>,
  ): TextStream<R>;
}

/**
 * Opens the model of a seq2seq handle (`createTranslator`, `createSummarizer`, `createText2Text`): checks the factory's
 * options and load options, loads the model (refusing other families), builds its engine and the task's state
 * (freeing the model when either fails), and gives the pieces every handle shares.
 *
 * @internal
 */
export async function openHandle<S>(
  fn: string,
  model: string,
  options: Seq2SeqHandleOptions | undefined,
  task: TaskInfo,
  what: string,
  setup: (loaded: LoadedModel) => S,
): Promise<OpenedHandle<S>> {
  const { load, signal, batching } = checkOptions(options, `${fn}()`, HANDLE_OPTION_NAMES);
  const loadOptions = checkLoadOptions(load, fn);
  const loaded = await openSeq2SeqModel(model, { ...loadOptions, ...(signal ? { signal } : {}) }, task);
  let engine: Seq2SeqEngine;
  let state: S;
  try {
    engine = seq2seqEngine(loaded, batching);
    state = setup(loaded);
  } catch (error) {
    await loaded.dispose(); // graphs the runner cannot drive: free their sessions before reporting why
    throw error;
  }
  const check = (): void => {
    if (loaded.disposed) throw new DisposedError(`The ${what} for ${loaded.source.label}`);
  };
  return {
    loaded,
    engine,
    state,
    check,
    batchStats: () => ({ running: engine.batcher.running, queued: engine.batcher.queued }),
    stream(options, where, names, run) {
      const call = checkOptions(options, where, names);
      return new TextStream(async (onToken) => {
        check();
        return run({ ...call, onToken: chainTokenCallbacks(call.onToken, onToken) });
      });
    },
  };
}
