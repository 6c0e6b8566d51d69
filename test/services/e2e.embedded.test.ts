/** The end-to-end scenario on the embedded profile (the same suite runs on every profile). */
import { describeScenario } from "./support/scenario";

describeScenario("embedded");
