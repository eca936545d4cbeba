export { FIXTURES, type FixtureName, fixture, fixturesDir, SHARED_MISSING, sharedDataDir } from "./paths.js";
export { chatTemplate, type TemplateName } from "./templates.js";
export { realSentences, sst2 } from "./data.js";
export { EMBEDDED_DTYPE, generatedIds, loadOracle } from "./oracle.js";
export { bigText, FUZZ_SEED, HOSTILE_PIECES, hostileText, loneSurrogate, notText, whitespaceText } from "./hostile.js";
export { isProbability, type Outcome, rssMb, settler, signalFiringAtCheck, spanProblem } from "./reliability.js";
