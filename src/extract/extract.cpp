// SPDX-License-Identifier: AGPL-3.0-or-later
#include "extract/extract.hpp"

#include <sys/stat.h>

#include <fstream>

#include "core/utf8.hpp"
#include "extract/formats.hpp"

namespace cm::extract {
namespace detail {

bool TextBuilder::append(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size() && !full_) {
    const auto lead = static_cast<unsigned char>(bytes[i]);
    if (lead < 0x80) {
      put(lead);
      ++i;
      continue;
    }
    const auto cp = utf8::decode(bytes, i);
    put(cp.value);  // U+FFFD for an invalid byte, which is skipped
    i += cp.length;
  }
  return !full_;
}

bool TextBuilder::append(char32_t code_point) {
  if (code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    code_point = 0xFFFD;
  }
  put(code_point);
  return !full_;
}

void TextBuilder::end_paragraph() {
  if (!text_.empty() && text_.back() != '\n') put('\n');
}

void TextBuilder::put(char32_t c) {
  if (full_) return;
  if (c == '\r') {
    last_was_cr_ = true;
    c = '\n';
  } else if (c == '\n' && last_was_cr_) {
    last_was_cr_ = false;
    return;
  } else {
    last_was_cr_ = false;
  }
  if ((c < 0x20 && c != '\t' && c != '\n' && c != '\f') || c == 0x7F) return;
  if (chars_ == max_chars_) {
    full_ = true;
    return;
  }
  ++chars_;
  if (c < 0x80) {
    text_.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    text_.push_back(static_cast<char>(0xC0 | (c >> 6)));
    text_.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    text_.push_back(static_cast<char>(0xE0 | (c >> 12)));
    text_.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    text_.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    text_.push_back(static_cast<char>(0xF0 | (c >> 18)));
    text_.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    text_.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    text_.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

Extraction TextBuilder::finish(int pages) {
  Extraction out;
  out.status = ExtractionStatus::ok;
  out.chars = chars_;
  out.truncated = full_;
  out.pages = pages;
  out.text = std::move(text_);
  return out;
}

Extraction failed(std::string reason) {
  Extraction out;
  out.status = ExtractionStatus::failed;
  out.reason = std::move(reason);
  return out;
}

Extraction unsupported(std::string reason) {
  Extraction out;
  out.status = ExtractionStatus::unsupported;
  out.reason = std::move(reason);
  return out;
}

bool read_file(const std::string& path, std::size_t max_bytes, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.clear();
  constexpr std::size_t kChunk = 1 << 16;
  while (out.size() < max_bytes) {
    const std::size_t want = std::min(kChunk, max_bytes - out.size());
    const std::size_t old_size = out.size();
    out.resize(old_size + want);
    in.read(out.data() + old_size, static_cast<std::streamsize>(want));
    out.resize(old_size + static_cast<std::size_t>(in.gcount()));
    if (static_cast<std::size_t>(in.gcount()) < want) break;
  }
  return !in.bad();
}

bool xml_nesting_exceeds(std::string_view xml, int max_depth) {
  // Works on UTF-8 and, by skipping NUL bytes, well enough on UTF-16 (markup is ASCII); the
  // walk over the parsed tree checks the depth again.
  int depth = 0;
  std::size_t i = 0;
  const auto peek = [&]() -> char {
    while (i < xml.size() && xml[i] == '\0') ++i;
    return i < xml.size() ? xml[i] : '\0';
  };
  const auto skip_past = [&](std::string_view terminator) {
    const auto end = xml.find(terminator, i);
    i = end == std::string_view::npos ? xml.size() : end + terminator.size();
  };
  while (i < xml.size()) {
    const auto lt = xml.find('<', i);
    if (lt == std::string_view::npos) break;
    i = lt + 1;
    const char next = peek();
    if (next == '\0') break;
    if (next == '/') {
      --depth;
      skip_past(">");
    } else if (next == '?') {
      skip_past(">");
    } else if (next == '!') {
      if (xml.substr(i, 3) == "!--") {
        skip_past("-->");
      } else if (xml.substr(i, 8) == "![CDATA[") {
        skip_past("]]>");
      } else {
        // <!DOCTYPE ... [ internal subset ] >: brackets may hold '>'.
        int brackets = 0;
        while (i < xml.size() && !(xml[i] == '>' && brackets == 0)) {
          brackets += xml[i] == '[' ? 1 : xml[i] == ']' ? -1 : 0;
          ++i;
        }
        ++i;
      }
    } else {
      // A start tag; attribute values may contain '>' and "/>".
      char quote = 0;
      char previous = 0;
      while (i < xml.size()) {
        const char c = xml[i];
        if (quote != 0) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '>') {
          break;
        }
        if (c != '\0') previous = c;
        ++i;
      }
      ++i;
      if (previous != '/' && ++depth > max_depth) return true;
    }
  }
  return false;
}

}  // namespace detail

std::string_view to_string(ExtractionStatus status) noexcept {
  switch (status) {
    case ExtractionStatus::ok:
      return "ok";
    case ExtractionStatus::unsupported:
      return "unsupported";
    case ExtractionStatus::failed:
      return "failed";
  }
  return "failed";
}

Result<Extraction> extract_text(const std::string& path, const DocumentType& type,
                                const ExtractLimits& limits) {
  switch (type.kind) {
    case DocumentKind::doc:
      return detail::unsupported("text extraction from Word 97-2003 (.doc) files is not supported");
    case DocumentKind::png:
    case DocumentKind::jpeg:
      return detail::unsupported("images carry no extractable text (no OCR)");
    default:
      break;
  }
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
    return not_found("file " + path);
  }
  const auto size = static_cast<std::uint64_t>(info.st_size);
  if (size > limits.max_file_bytes) {
    return detail::failed("the file is " + std::to_string(size) + " bytes, over the limit of " +
                          std::to_string(limits.max_file_bytes));
  }
  try {
    switch (type.kind) {
      case DocumentKind::pdf:
        return detail::extract_pdf(path, limits);
      case DocumentKind::docx:
        return detail::extract_docx(path, limits);
      case DocumentKind::odt:
        return detail::extract_odt(path, limits);
      case DocumentKind::rtf:
      case DocumentKind::txt:
      case DocumentKind::md: {
        // Plain text needs at most 4 bytes per output character; RTF must be read whole.
        const bool plain = type.kind != DocumentKind::rtf;
        const std::uint64_t wanted =
            plain ? std::min<std::uint64_t>(size, limits.max_output_chars * 4 + 4) : size;
        std::string bytes;
        if (!detail::read_file(path, static_cast<std::size_t>(wanted), bytes)) {
          return not_found("file " + path);
        }
        if (!plain) return detail::extract_rtf(bytes, limits);
        return detail::extract_plain_text(bytes, bytes.size() < size, limits);
      }
      default:
        break;
    }
  } catch (const std::bad_alloc&) {
    return detail::failed("exceeded memory limit");
  }
  return detail::unsupported("no text extraction for this type");
}

}  // namespace cm::extract
