// The web console's routes on the gateway's listener: GET /console (and
// /console/) answers index.html, GET /console/<file> the other embedded
// files (console_assets.h). The files hold no data and are served to
// anyone; everything the page shows it asks for through the AWS API
// endpoint, signed when the server has credentials (docs/CONSOLE.md).
// Thread-safety: Add before the router's first Handle; the handlers may
// then run concurrently.
#ifndef CORTADO_GATEWAY_CONSOLE_CONSOLE_ROUTES_H_
#define CORTADO_GATEWAY_CONSOLE_CONSOLE_ROUTES_H_

#include "gateway/router.h"

namespace cortado::gateway {

void AddConsoleRoutes(Router& router);

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_CONSOLE_CONSOLE_ROUTES_H_
