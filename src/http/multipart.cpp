// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/multipart.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <functional>

#include "core/strings.hpp"
#include "http/headers.hpp"

namespace cm::http {

namespace {

Error bad_request(std::string detail) {
  return Error(ErrorKind::bad_request, std::move(detail));
}

// Splits `a; b="c;d"; e` at the semicolons that are not inside quotes.
std::vector<std::string_view> split_parameters(std::string_view value, QuotedForm form) {
  std::vector<std::string_view> out;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (quoted && c == '\\' && form == QuotedForm::http) {
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ';' && !quoted) {
      out.push_back(trim(value.substr(start, i - start)));
      start = i + 1;
    }
  }
  out.push_back(trim(value.substr(start)));
  return out;
}

std::string unquote(std::string_view v, QuotedForm form) {
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return std::string(v);
  std::string out;
  for (std::size_t i = 1; i + 1 < v.size(); ++i) {
    if (form == QuotedForm::http && v[i] == '\\' && i + 2 < v.size()) {
      out += v[++i];
    } else if (form == QuotedForm::html_form && v.substr(i, 3) == "%22") {
      out += '"';
      i += 2;
    } else {
      out += v[i];
    }
  }
  return out;
}

// RFC 8187 ext-value: charset'language'percent-encoded. Only UTF-8 (and its ASCII subset).
std::optional<std::string> decode_ext_value(std::string_view v) {
  const auto first = v.find('\'');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = v.find('\'', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const auto charset = v.substr(0, first);
  if (!iequals(charset, "UTF-8") && !iequals(charset, "US-ASCII")) return std::nullopt;
  std::string out;
  for (std::size_t i = second + 1; i < v.size(); ++i) {
    if (v[i] != '%') {
      out += v[i];
      continue;
    }
    if (i + 2 >= v.size()) return std::nullopt;
    const int hi = hex_digit_value(v[i + 1]);
    const int lo = hex_digit_value(v[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

bool is_attr_char(unsigned char c) {
  return std::isalnum(c) || std::strchr("!#$&+-.^_`|~", c) != nullptr;
}

// A read-only mapping of a whole file; the kernel pages it in, nothing is copied to the heap.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      size_ = static_cast<std::size_t>(st.st_size);
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) data_ = static_cast<const char*>(p);
    }
    opened_ = true;
    ::close(fd);
  }
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  bool opened() const noexcept { return opened_; }
  std::string_view view() const noexcept {
    return data_ ? std::string_view(data_, size_) : std::string_view();
  }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  bool opened_ = false;
};

struct PartHeaders {
  std::string disposition;
  std::string content_type;
};

Result<PartHeaders> parse_part_headers(std::string_view block) {
  PartHeaders out;
  while (!block.empty()) {
    const auto eol = block.find("\r\n");
    const auto line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
    if (line.empty()) continue;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return bad_request("malformed multipart part header");
    const auto name = trim(line.substr(0, colon));
    const auto value = trim(line.substr(colon + 1));
    if (iequals(name, "Content-Disposition")) out.disposition = std::string(value);
    if (iequals(name, "Content-Type")) out.content_type = std::string(value);
  }
  return out;
}

}  // namespace

std::optional<std::string> header_parameter(std::string_view header_value, std::string_view name,
                                            QuotedForm form) {
  const auto params = split_parameters(header_value, form);
  for (std::size_t i = 1; i < params.size(); ++i) {
    const auto eq = params[i].find('=');
    if (eq == std::string_view::npos) continue;
    if (iequals(trim(params[i].substr(0, eq)), name))
      return unquote(trim(params[i].substr(eq + 1)), form);
  }
  return std::nullopt;
}

std::optional<std::string> disposition_filename(std::string_view content_disposition,
                                                QuotedForm form) {
  if (auto ext = header_parameter(content_disposition, "filename*", form))
    if (auto decoded = decode_ext_value(*ext)) return decoded;
  return header_parameter(content_disposition, "filename", form);
}

std::string format_content_disposition(std::string_view disposition, std::string_view filename) {
  std::string fallback;
  std::string encoded;
  for (const char ch : filename) {
    const auto c = static_cast<unsigned char>(ch);
    fallback += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? ch : '_';
    if (is_attr_char(c)) {
      encoded += ch;
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  return std::string(disposition) + "; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
}

Result<std::vector<MultipartPart>> parse_multipart_file(const std::string& path,
                                                        std::string_view content_type,
                                                        MultipartLimits limits) {
  const auto boundary = header_parameter(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70)
    return bad_request("multipart/form-data needs a boundary parameter of 1 to 70 characters");
  MappedFile file(path);
  if (!file.opened()) return Error(ErrorKind::unavailable, "cannot read the uploaded body");
  const std::string_view body = file.view();

  // Every delimiter after the first is preceded by CRLF; searching for "\r\n--boundary" in
  // "\r\n" + body finds the first one too, so we search the body with an offset of -2.
  const std::string delimiter = "\r\n--" + *boundary;
  const std::boyer_moore_horspool_searcher searcher(delimiter.begin(), delimiter.end());
  auto find_delimiter = [&](std::size_t from) -> std::size_t {
    if (from == 0 && body.substr(0, delimiter.size() - 2) == std::string_view(delimiter).substr(2))
      return 0;
    const auto it =
        std::search(body.begin() + static_cast<std::ptrdiff_t>(from), body.end(), searcher);
    return it == body.end() ? std::string_view::npos
                            : static_cast<std::size_t>(it - body.begin()) + 2;
  };

  std::vector<MultipartPart> parts;
  std::size_t at = find_delimiter(0);  // position of "--boundary"
  if (at == std::string_view::npos) return bad_request("multipart body has no boundary delimiter");
  for (;;) {
    std::size_t cursor = at + 2 + boundary->size();
    if (body.substr(cursor, 2) == "--") return parts;  // the closing delimiter
    // Transport padding, then CRLF.
    while (cursor < body.size() && (body[cursor] == ' ' || body[cursor] == '\t')) ++cursor;
    if (body.substr(cursor, 2) != "\r\n") return bad_request("malformed multipart delimiter line");
    cursor += 2;
    if (parts.size() == limits.max_parts)
      return bad_request("multipart body has more than " + std::to_string(limits.max_parts) +
                         " parts");
    const auto header_end = body.find("\r\n\r\n", cursor > 2 ? cursor - 2 : cursor);
    if (header_end == std::string_view::npos || header_end + 2 < cursor ||
        header_end + 2 - cursor > limits.max_part_header_bytes)
      return bad_request("multipart part headers are missing or too large");
    auto headers = parse_part_headers(body.substr(cursor, header_end + 2 - cursor));
    if (!headers) return headers.error();
    const std::size_t content = header_end + 4;
    const std::size_t next = find_delimiter(content);
    if (next == std::string_view::npos)
      return bad_request("multipart body ends without its closing delimiter");
    MultipartPart part;
    part.name = header_parameter(headers->disposition, "name", QuotedForm::html_form).value_or("");
    part.filename = disposition_filename(headers->disposition, QuotedForm::html_form);
    part.content_type = headers->content_type;
    if (part.name.find('\0') != std::string::npos ||
        (part.filename && part.filename->find('\0') != std::string::npos))
      return Error(ErrorKind::bad_request, "A multipart part has an invalid name.",
                   {{part.filename ? "filename" : "name", "must not contain a NUL character"}});
    part.offset = content;
    part.length = next - 2 >= content ? next - 2 - content : 0;
    parts.push_back(std::move(part));
    at = next;
  }
}

Result<std::string> read_part_text(const std::string& path, const MultipartPart& part,
                                   std::size_t max_bytes) {
  if (part.length > max_bytes)
    return bad_request("form field '" + part.name + "' is longer than " +
                       std::to_string(max_bytes) + " bytes");
  std::ifstream in(path, std::ios::binary);
  std::string out(part.length, '\0');
  in.seekg(static_cast<std::streamoff>(part.offset));
  if (!in.read(out.data(), static_cast<std::streamsize>(out.size())))
    return Error(ErrorKind::unavailable, "cannot read the uploaded body");
  if (out.find('\0') != std::string::npos)
    return Error(ErrorKind::bad_request, "A form field is invalid.",
                 {{part.name, "must not contain a NUL character"}});
  return out;
}

}  // namespace cm::http
