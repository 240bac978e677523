// SPDX-License-Identifier: AGPL-3.0-or-later
#include "jobs/handler_registry.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace cm::jobs {

bool JobContext::sleep_for(std::chrono::milliseconds d) const {
  // Short naps: a handler asleep when its lease is lost or shutdown aborts should notice soon.
  constexpr auto kStep = std::chrono::milliseconds(50);
  const auto deadline = std::chrono::steady_clock::now() + d;
  while (!should_stop()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return true;
    std::this_thread::sleep_for(std::min(left, kStep));
  }
  return false;
}

void HandlerRegistry::add(std::string kind, JobHandler handler, JobKindOptions options) {
  if (!is_valid_job_kind(kind))
    throw std::invalid_argument("job kind must be 1-100 of a-z 0-9 . _ - (got \"" + kind + "\")");
  if (!handler) throw std::invalid_argument("job kind " + kind + " has no handler");
  const auto [it, inserted] =
      kinds_.emplace(std::move(kind), RegisteredKind{std::move(handler), options});
  if (!inserted) throw std::invalid_argument("job kind " + it->first + " is registered twice");
}

const RegisteredKind* HandlerRegistry::find(std::string_view kind) const {
  const auto it = kinds_.find(kind);
  return it == kinds_.end() ? nullptr : &it->second;
}

std::vector<std::string> HandlerRegistry::kinds() const {
  std::vector<std::string> out;
  out.reserve(kinds_.size());
  for (const auto& [kind, registered] : kinds_) out.push_back(kind);
  return out;
}

}  // namespace cm::jobs
