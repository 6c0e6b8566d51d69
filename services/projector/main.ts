/** Process entry of the projector (health and readiness only; its work is the subscriptions). */
import { serviceMain } from "../platform/main";
import { projectorModule } from "./index";

serviceMain([projectorModule]);
