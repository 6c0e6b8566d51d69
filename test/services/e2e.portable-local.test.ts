/** The end-to-end scenario on the portable-local profile (the same suite runs on every profile). */
import { describeScenario } from "./support/scenario";

describeScenario("portable-local");
