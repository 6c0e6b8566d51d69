/** Process entry of the property service (its production build and container start here). */
import { serviceMain } from "../platform/main";
import { propertyModule } from "./index";

serviceMain([propertyModule]);
