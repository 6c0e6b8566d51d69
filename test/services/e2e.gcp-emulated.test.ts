/** The end-to-end scenario on the gcp-emulated profile (the same suite runs on every profile). */
import { describeScenario } from "./support/scenario";

describeScenario("gcp-emulated");
