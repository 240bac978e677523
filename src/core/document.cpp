// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/document.hpp"

#include <array>
#include <boost/json.hpp>

#include "core/json.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "core/utf8.hpp"

namespace cm {

namespace bj = boost::json;

namespace {

constexpr std::array<std::pair<DocumentKind, std::string_view>, 4> kKinds{{
    {DocumentKind::main, "main"},
    {DocumentKind::attachment, "attachment"},
    {DocumentKind::signed_copy, "signed_copy"},
    {DocumentKind::exhibit, "exhibit"},
}};

constexpr std::array<std::pair<ExtractionState, std::string_view>, 4> kStates{{
    {ExtractionState::pending, "pending"},
    {ExtractionState::done, "done"},
    {ExtractionState::failed, "failed"},
    {ExtractionState::unsupported, "unsupported"},
}};

// Cuts at most `max` bytes without splitting a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

}  // namespace

std::string_view to_string(DocumentKind kind) noexcept {
  for (const auto& [k, name] : kKinds)
    if (k == kind) return name;
  return "attachment";
}

std::optional<DocumentKind> parse_document_kind(std::string_view text) noexcept {
  for (const auto& [k, name] : kKinds)
    if (name == text) return k;
  return std::nullopt;
}

std::string_view to_string(ExtractionState state) noexcept {
  for (const auto& [s, name] : kStates)
    if (s == state) return name;
  return "pending";
}

std::optional<ExtractionState> parse_extraction_state(std::string_view text) noexcept {
  for (const auto& [s, name] : kStates)
    if (name == text) return s;
  return std::nullopt;
}

Result<std::string> display_filename(std::string_view client_name) {
  const auto invalid = [](std::string message) {
    return Error(ErrorKind::validation, "The file name is not usable.", {{"filename", message}});
  };
  if (!utf8::is_valid(client_name)) return invalid("must be valid UTF-8");
  if (const auto slash = client_name.find_last_of("/\\"); slash != std::string_view::npos)
    client_name.remove_prefix(slash + 1);
  std::string cleaned;
  for (const char ch : client_name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) continue;  // controls, including NUL, CR and LF
    cleaned += ch;
  }
  const auto trimmed = trim(cleaned, " .");
  if (trimmed.empty()) return invalid("must contain at least one visible character");
  return std::string(utf8_prefix(trimmed, kMaxFilenameBytes));
}

std::string filename_key(std::string_view display_name) {
  std::string key(display_name);
  for (auto& c : key)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return key;
}

bj::object to_json(const DocumentVersion& v, std::string_view contract_id) {
  bj::object extraction{{"status", to_string(v.extraction)}};
  if (v.extraction_error) extraction["error"] = *v.extraction_error;
  if (v.page_count) extraction["pageCount"] = *v.page_count;
  if (v.char_count) extraction["charCount"] = *v.char_count;
  return bj::object{
      {"version", v.version},
      {"filename", v.filename},
      {"size", v.size},
      {"sha256", v.sha256},
      {"contentType", v.content_type},
      {"encrypted", v.key_id.has_value()},
      {"uploadedBy", v.uploaded_by},
      {"uploadedAt", format_rfc3339(v.uploaded_at)},
      {"extraction", std::move(extraction)},
      {"contentUrl", "/api/v1/contracts/" + std::string(contract_id) + "/documents/" +
                         v.document_id + "/versions/" + std::to_string(v.version) + "/content"},
  };
}

bj::object to_json(const Document& d, const DocumentVersion& latest,
                   const std::vector<DocumentVersion>* versions) {
  bj::object out{
      {"id", d.id},
      {"contractId", d.contract_id},
      {"name", d.name},
      {"kind", to_string(d.kind)},
      {"latestVersion", d.latest_version},
      {"createdBy", d.created_by},
      {"createdAt", format_rfc3339(d.created_at)},
      {"updatedAt", format_rfc3339(d.updated_at)},
      {"latest", to_json(latest, d.contract_id)},
  };
  if (d.deleted_at) {
    out["deletedAt"] = format_rfc3339(*d.deleted_at);
    if (d.purge_after) out["purgeAfter"] = format_rfc3339(*d.purge_after);
  }
  if (versions) {
    bj::array all;
    for (const auto& v : *versions) all.push_back(to_json(v, d.contract_id));
    out["versions"] = std::move(all);
  }
  return out;
}

}  // namespace cm
