-- SPDX-License-Identifier: AGPL-3.0-or-later
-- GET of one document version's content (the URL is wrk's target).
local token = os.getenv("CM_TOKEN")
wrk.headers["Authorization"] = "Bearer " .. token
