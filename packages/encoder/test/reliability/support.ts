import { ProjError } from "@proj/core";
import { settler } from "@proj/testing";

export { isProbability, type Outcome, rssMb, signalFiringAtCheck, spanProblem } from "@proj/testing";

/** Settles a call within `ms` milliseconds: a hang fails the test, and so does an error that is not a {@link ProjError}. */
export const settle = settler(ProjError);
