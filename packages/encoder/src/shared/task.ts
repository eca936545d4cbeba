/**
 * What the shared loading code needs to know about a task to check a model and to explain a mismatch.
 *
 * @example
 * const task: TaskInfo = { fn: "classify", what: "text classification", exportTask: "text-classification", example: "Xenova/..." };
 * @internal
 */
export interface TaskInfo {
  /** The public function, e.g. `"classify"`. */
  fn: string;
  /** What the task does, in words, e.g. `"text classification"`. */
  what: string;
  /** The Optimum export task, for hints (`optimum-cli export onnx --task ...`). */
  exportTask: string;
  /** The default Hub model, as an example of a model that fits. */
  example: string;
}
