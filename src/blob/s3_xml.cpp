// SPDX-License-Identifier: AGPL-3.0-or-later
#include "blob/s3_xml.hpp"

#include <charconv>
#include <ctime>
#include <pugixml.hpp>

#include "core/markup.hpp"

namespace cm::blob::s3xml {
namespace {

bool load(pugi::xml_document& doc, std::string_view xml) {
  // parse_default does not process DOCTYPE declarations or expand external entities.
  return doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
}

std::string text_of(const pugi::xml_node& parent, const char* name) {
  return parent.child(name).text().as_string();
}

template <class T>
bool parse_number(std::string_view text, T& out) {
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && ptr == text.data() + text.size();
}

}  // namespace

std::optional<ErrorInfo> parse_error(std::string_view xml) {
  pugi::xml_document doc;
  if (!load(doc, xml)) return std::nullopt;
  const auto root = doc.child("Error");
  if (!root) return std::nullopt;
  return ErrorInfo{text_of(root, "Code"), text_of(root, "Message")};
}

std::optional<ListPage> parse_list_objects_v2(std::string_view xml) {
  pugi::xml_document doc;
  if (!load(doc, xml)) return std::nullopt;
  const auto root = doc.child("ListBucketResult");
  if (!root) return std::nullopt;
  ListPage page;
  page.truncated = std::string_view(text_of(root, "IsTruncated")) == "true";
  page.next_continuation_token = text_of(root, "NextContinuationToken");
  for (const auto& item : root.children("Contents")) {
    BlobInfo info;
    info.key = text_of(item, "Key");
    if (info.key.empty() || !parse_number(text_of(item, "Size"), info.size)) return std::nullopt;
    if (auto at = parse_iso8601(text_of(item, "LastModified"))) info.modified = *at;
    page.objects.push_back(std::move(info));
  }
  return page;
}

std::optional<std::string> parse_upload_id(std::string_view xml) {
  pugi::xml_document doc;
  if (!load(doc, xml)) return std::nullopt;
  std::string id = text_of(doc.child("InitiateMultipartUploadResult"), "UploadId");
  if (id.empty()) return std::nullopt;
  return id;
}

std::string complete_multipart_upload(const std::vector<std::string>& etags) {
  std::string out = R"(<?xml version="1.0" encoding="UTF-8"?>)"
                    R"(<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)";
  for (std::size_t i = 0; i < etags.size(); ++i) {
    out += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>";
    append_escaped_markup(out, etags[i]);
    out += "</ETag></Part>";
  }
  out += "</CompleteMultipartUpload>";
  return out;
}

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fff]Z
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text.back() != 'Z') {
    return std::nullopt;
  }
  std::tm tm{};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!parse_number(text.substr(0, 4), year) || !parse_number(text.substr(5, 2), month) ||
      !parse_number(text.substr(8, 2), day) || !parse_number(text.substr(11, 2), hour) ||
      !parse_number(text.substr(14, 2), minute) || !parse_number(text.substr(17, 2), second)) {
    return std::nullopt;
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  std::chrono::milliseconds millis{0};
  if (text[19] == '.') {
    const std::string_view fraction = text.substr(20, text.size() - 21);
    int value = 0;
    if (fraction.empty() || fraction.size() > 9 || !parse_number(fraction, value)) {
      return std::nullopt;
    }
    int scale = 1;
    for (std::size_t i = fraction.size(); i < 3; ++i) scale *= 10;
    for (std::size_t i = 3; i < fraction.size(); ++i) value /= 10;
    millis = std::chrono::milliseconds(value * scale);
  } else if (text.size() != 20) {
    return std::nullopt;
  }
  // system_clock counts nanoseconds in 64 bits (years 1678 to 2261): an instant beyond that,
  // from a server that sends one, is refused rather than overflowing in from_time_t.
  const std::time_t seconds = timegm(&tm);
  constexpr auto kMaxSeconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::duration::max())
          .count() -
      1;
  if (seconds > kMaxSeconds || seconds < -kMaxSeconds) return std::nullopt;
  return std::chrono::system_clock::from_time_t(seconds) + millis;
}

}  // namespace cm::blob::s3xml
