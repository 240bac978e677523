#include "workflow/org_calendar.hpp"

namespace cm::workflow {

CivilDate org_today(store::Connection&, std::string_view, std::int64_t now_ms) {
  return date_of(now_ms);
}

}  // namespace cm::workflow
