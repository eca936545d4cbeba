import { packageTestConfig } from "../../vitest.base.mjs";

export default packageTestConfig({ typeTests: true });
