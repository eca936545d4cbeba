export { ChooserError, type ChooserErrorCode } from "./errors.js";

export {
  CANONICAL_TASKS,
  type CanonicalTask,
  isTaskName,
  type ResolvedTask,
  resolveTask,
  TASK_ALIASES,
  type TaskAlias,
  type TaskName,
  type TranslationTaskName,
} from "./tasks/task-names.js";
export type {
  ArchitectureFamily,
  LanguagePair,
  LongInputStrategy,
  RawModelConfig,
  RecommendedModel,
  ServedBy,
  TaskRow,
} from "./tasks/types.js";
export { TASK_TABLE, taskRow } from "./tasks/table.js";
export {
  DEFAULT_MODELS,
  type DefaultModelChoice,
  type DefaultModelPair,
  defaultModelOf,
} from "./tasks/default-model.js";

export {
  baseLanguage,
  codeLanguage,
  LANGUAGES,
  type Language,
  languageKeys,
  matchLanguage,
  sameLanguage,
} from "./languages/languages.js";

export { type HeadKind, type ModelShape, modelShape, type StackShape } from "./config/model-shape.js";
export {
  DECODER_MODEL_TYPES,
  ENCODER_DECODER_MODEL_TYPES,
  ENCODER_MODEL_TYPES,
  type FamilyClues,
  familyOf,
  inferFamily,
} from "./config/family.js";
export { CONFIG_FIELD_ALIASES, type ConfigField, configNumber } from "./config/field-aliases.js";
export { booleanField, numberField, objectField, stringField } from "./config/fields.js";
export { tasksOf } from "./config/tasks-of.js";
export { countParameters, type ParameterCount } from "./estimate/parameters.js";
export { estimateMemory, type MemoryEstimate, type MemoryOptions } from "./estimate/memory.js";
export { bytesPerActivation, bytesPerWeight, WEIGHT_DTYPES, type WeightDtype } from "./estimate/dtype.js";
export { type DescribeOptions, describeConfig, describeShape, type ModelDescription } from "./describe/describe-config.js";
export { describeModel } from "./describe/describe-model.js";

export {
  type ArchitectureConstraints,
  checkConstraints,
  LATENCY_PARAMETER_LIMITS,
  type LatencyClass,
} from "./choose/constraints.js";
export { type RankedModel, rankModel, sortRanked } from "./choose/rank.js";
export { type LongInputAdvice, longInputAdvice } from "./choose/long-input.js";
export { type ArchitectureChoice, chooseArchitecture } from "./choose/choose-architecture.js";
export { renderTaskTableMarkdown } from "./format/markdown.js";
