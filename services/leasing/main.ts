/** Process entry of the leasing service. */
import { serviceMain } from "../platform/main";
import { leasingModule } from "./index";

serviceMain([leasingModule]);
