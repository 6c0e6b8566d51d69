/** Process entry of the search service. */
import { serviceMain } from "../platform/main";
import { searchModule } from "./index";

serviceMain([searchModule]);
