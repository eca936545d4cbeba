/**
 * Stable codes of {@link ChooserError}:
 * - `"UNKNOWN_TASK"`: the task name is not in the task table (nor an alias of one);
 * - `"INVALID_CONSTRAINT"`: a constraint or estimate option is out of range;
 * - `"INVALID_CONFIG"`: a config.json lacks what is needed to describe the model;
 * - `"CONFIG_NOT_FOUND"`: a folder has no readable config.json.
 *
 * @example
 * if (error instanceof ChooserError && error.code === "UNKNOWN_TASK") console.error(error.hint);
 */
export type ChooserErrorCode = "UNKNOWN_TASK" | "INVALID_CONSTRAINT" | "INVALID_CONFIG" | "CONFIG_NOT_FOUND";

/**
 * The one error class of `@proj/chooser`. It has its own class (not `@proj/core`'s `ProjError`) so the chooser
 * stays free of ONNX Runtime; its `code` and `hint` follow the same conventions.
 *
 * @example
 * try {
 *   chooseArchitecture("sentiment");
 * } catch (error) {
 *   if (error instanceof ChooserError) console.error(`${error.message}\n${error.hint ?? ""}`);
 * }
 */
export class ChooserError extends Error {
  /** Stable code for programmatic handling. */
  readonly code: ChooserErrorCode;
  /** What the caller can do about it. */
  readonly hint: string | undefined;

  /**
   * @param code - the kind of error.
   * @param message - what was wrong.
   * @param hint - what to do about it.
   */
  constructor(code: ChooserErrorCode, message: string, hint?: string) {
    super(message);
    this.name = "ChooserError";
    this.code = code;
    this.hint = hint;
  }
}
