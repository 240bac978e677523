// SPDX-License-Identifier: AGPL-3.0-or-later
// A small, bounded RTF-to-text converter: one pass over the bytes, a group stack capped at
// max_nesting_depth, control words of bounded length. It understands what carries text
// (\par, \tab, \'hh in the document's or the font's code page, \uN with its \ucN fallback,
// special characters) and skips destinations that do not (font and colour tables, pictures,
// objects, headers and footers, \* groups).

#include <iconv.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "extract/formats.hpp"

namespace cm::extract::detail {
namespace {

// Windows-1252 0x80..0x9F (0 where undefined); the rest of the upper half is Latin-1.
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// Destinations whose text is not document text.
bool is_skipped_destination(std::string_view word) {
  static constexpr std::array<std::string_view, 34> kSkipped = {"fonttbl",
                                                                "colortbl",
                                                                "stylesheet",
                                                                "info",
                                                                "pict",
                                                                "object",
                                                                "themedata",
                                                                "datastore",
                                                                "latentstyles",
                                                                "listtable",
                                                                "listoverridetable",
                                                                "rsidtbl",
                                                                "generator",
                                                                "xmlnstbl",
                                                                "mmathPr",
                                                                "filetbl",
                                                                "revtbl",
                                                                "userprops",
                                                                "fldinst",
                                                                "header",
                                                                "headerl",
                                                                "headerr",
                                                                "headerf",
                                                                "footer",
                                                                "footerl",
                                                                "footerr",
                                                                "footerf",
                                                                "nonshppict",
                                                                "shppict",
                                                                "colorschememapping",
                                                                "atnid",
                                                                "atnauthor",
                                                                "annotation",
                                                                "footnote"};
  for (std::string_view skipped : kSkipped) {
    if (word == skipped) return true;
  }
  return false;
}

// \fcharsetN to a Windows code page.
int charset_code_page(long charset) {
  switch (charset) {
    case 0:
      return 1252;
    case 128:
      return 932;
    case 129:
      return 949;
    case 134:
      return 936;
    case 136:
      return 950;
    case 161:
      return 1253;
    case 162:
      return 1254;
    case 163:
      return 1258;
    case 177:
      return 1255;
    case 178:
      return 1256;
    case 186:
      return 1257;
    case 204:
      return 1251;
    case 222:
      return 874;
    case 238:
      return 1250;
    default:
      return 0;  // the document's \ansicpg
  }
}

// Bytes in a Windows code page to Unicode, through iconv for anything but 1252.
class CodePageDecoder {
 public:
  CodePageDecoder() = default;
  CodePageDecoder(const CodePageDecoder&) = delete;
  CodePageDecoder& operator=(const CodePageDecoder&) = delete;
  ~CodePageDecoder() {
    for (auto& [page, handle] : handles_) {
      if (handle) iconv_close(*handle);
    }
  }

  void decode(std::string_view bytes, int code_page, TextBuilder& out) {
    const std::optional<iconv_t> converter =
        code_page == 1252 || code_page <= 0 ? std::nullopt : handle_for(code_page);
    if (!converter) {
      for (const char byte : bytes) out.append(cp1252(static_cast<unsigned char>(byte)));
      return;
    }
    std::string input(bytes);
    char* in = input.data();
    std::size_t in_left = input.size();
    while (in_left > 0 && !out.full()) {
      std::array<char, 1024> buffer{};
      char* produced = buffer.data();
      std::size_t space = buffer.size();
      const std::size_t rc = iconv(*converter, &in, &in_left, &produced, &space);
      out.append(std::string_view(buffer.data(), buffer.size() - space));
      if (rc == static_cast<std::size_t>(-1) && errno != E2BIG) {
        out.append(char32_t{0xFFFD});  // invalid or incomplete: skip one byte
        ++in;
        --in_left;
        iconv(*converter, nullptr, nullptr, nullptr, nullptr);
      }
    }
  }

 private:
  static char32_t cp1252(unsigned char byte) {
    if (byte >= 0x80 && byte < 0xA0) {
      const char16_t mapped = kCp1252High[byte - 0x80];
      return mapped != 0 ? mapped : 0xFFFD;
    }
    return byte;
  }

  // The converter from a code page, or nullopt when iconv does not know it (then 1252).
  std::optional<iconv_t> handle_for(int code_page) {
    auto it = handles_.find(code_page);
    if (it == handles_.end()) {
      const std::string name = code_page == 65001 ? "UTF-8" : "CP" + std::to_string(code_page);
      const iconv_t handle = iconv_open("UTF-8", name.c_str());
      // iconv_open() signals failure with (iconv_t)-1.
      const bool opened = reinterpret_cast<std::intptr_t>(handle) != -1;
      it = handles_.emplace(code_page, opened ? std::optional(handle) : std::nullopt).first;
    }
    return it->second;
  }

  std::map<int, std::optional<iconv_t>> handles_;
};

class RtfParser {
 public:
  RtfParser(std::string_view rtf, const ExtractLimits& limits)
      : rtf_(rtf), limits_(limits), out_(limits.max_output_chars) {}

  Extraction run() {
    if (rtf_.substr(0, 5) != "{\\rtf") return failed("not an RTF document");
    stack_.push_back(State{});
    while (pos_ < rtf_.size() && !out_.full()) {
      const char c = rtf_[pos_];
      if (c == '{') {
        flush();
        if (static_cast<int>(stack_.size()) > limits_.max_nesting_depth) {
          return failed("RTF groups nest deeper than " + std::to_string(limits_.max_nesting_depth) +
                        " levels");
        }
        stack_.push_back(stack_.back());
        fallback_left_ = 0;
        ++pos_;
      } else if (c == '}') {
        flush();
        if (stack_.size() > 1) stack_.pop_back();
        fallback_left_ = 0;
        ++pos_;
      } else if (c == '\\') {
        ++pos_;
        control();
      } else if (c == '\r' || c == '\n') {
        ++pos_;  // line breaks in RTF source are not text
      } else {
        byte(static_cast<unsigned char>(c));
        ++pos_;
      }
    }
    flush();
    return out_.finish(0);
  }

 private:
  struct State {
    bool skip = false;
    int unicode_skip = 1;  // \ucN: fallback characters after each \uN
    int code_page = 0;     // of the current font; 0 means the document's
    bool in_font_table = false;
  };

  State& state() { return stack_.back(); }

  // A character of the document in the current code page.
  void byte(unsigned char b) {
    if (fallback_left_ > 0) {
      --fallback_left_;
      return;
    }
    if (state().skip) return;
    if (b < 0x80 && pending_.empty()) {
      out_.append(static_cast<char32_t>(b));
    } else {
      pending_.push_back(static_cast<char>(b));
    }
  }

  void text(char32_t c) {
    flush();
    if (!state().skip) out_.append(c);
  }

  void flush() {
    if (pending_.empty()) return;
    const int page = state().code_page != 0 ? state().code_page : document_code_page_;
    decoder_.decode(pending_, page, out_);
    pending_.clear();
  }

  void control() {
    if (pos_ >= rtf_.size()) return;
    const char c = rtf_[pos_];
    if (!std::isalpha(static_cast<unsigned char>(c))) {
      ++pos_;
      symbol(c);
      return;
    }
    const std::size_t start = pos_;
    while (pos_ < rtf_.size() && std::isalpha(static_cast<unsigned char>(rtf_[pos_]))) ++pos_;
    const std::string_view word = rtf_.substr(start, std::min<std::size_t>(pos_ - start, 32));
    bool has_param = false;
    long param = 0;
    const std::size_t param_start = pos_;
    if (pos_ < rtf_.size() && rtf_[pos_] == '-') ++pos_;
    while (pos_ < rtf_.size() && std::isdigit(static_cast<unsigned char>(rtf_[pos_])) &&
           pos_ - param_start < 11) {
      ++pos_;
      has_param = true;
    }
    if (has_param) {
      param = std::strtol(std::string(rtf_.substr(param_start, pos_ - param_start)).c_str(),
                          nullptr, 10);
    } else {
      pos_ = param_start;
    }
    if (pos_ < rtf_.size() && rtf_[pos_] == ' ') ++pos_;  // the delimiter belongs to the word
    control_word(word, has_param, param);
  }

  void symbol(char c) {
    switch (c) {
      case '\\':
      case '{':
      case '}':
        flush();
        byte(static_cast<unsigned char>(c));
        break;
      case '\'': {
        if (pos_ + 2 > rtf_.size()) return;
        const std::string hex(rtf_.substr(pos_, 2));
        pos_ += 2;
        char* end = nullptr;
        const long value = std::strtol(hex.c_str(), &end, 16);
        if (end == hex.c_str() + 2) byte(static_cast<unsigned char>(value));
        break;
      }
      case '*':
        state().skip = true;  // an ignorable destination we do not know
        break;
      case '~':
        text(0xA0);
        break;
      case '_':
        text(U'-');
        break;
      case '\n':
      case '\r':
        text(U'\n');
        break;
      default:
        break;  // \- (optional hyphen), \| and others carry no text
    }
  }

  void control_word(std::string_view word, bool has_param, long param) {
    if (is_skipped_destination(word)) {
      flush();
      state().skip = true;
      if (word == "fonttbl") state().in_font_table = true;
      return;
    }
    if (word == "bin") {
      // Binary data follows; skip it without looking.
      if (has_param && param > 0) {
        pos_ = std::min(rtf_.size(), pos_ + static_cast<std::size_t>(param));
      }
      return;
    }
    if (word == "ansicpg" && has_param) {
      document_code_page_ = static_cast<int>(param);
      return;
    }
    if (word == "f" && has_param) {
      flush();
      current_font_ = param;
      if (!state().in_font_table) {
        const auto it = font_code_pages_.find(param);
        state().code_page = it == font_code_pages_.end() ? 0 : it->second;
      }
      return;
    }
    if (word == "fcharset" && has_param && state().in_font_table &&
        font_code_pages_.size() < 4096) {
      font_code_pages_[current_font_] = charset_code_page(param);
      return;
    }
    if (word == "uc" && has_param) {
      state().unicode_skip = static_cast<int>(std::clamp(param, 0L, 10L));
      return;
    }
    if (word == "u" && has_param) {
      unicode(param);
      return;
    }
    if (word == "par" || word == "line" || word == "sect" || word == "page" || word == "row") {
      text(U'\n');
    } else if (word == "tab" || word == "cell") {
      text(U'\t');
    } else if (word == "emdash") {
      text(0x2014);
    } else if (word == "endash") {
      text(0x2013);
    } else if (word == "bullet") {
      text(0x2022);
    } else if (word == "lquote") {
      text(0x2018);
    } else if (word == "rquote") {
      text(0x2019);
    } else if (word == "ldblquote") {
      text(0x201C);
    } else if (word == "rdblquote") {
      text(0x201D);
    } else if (word == "emspace" || word == "enspace" || word == "qmspace") {
      text(U' ');
    }
  }

  // \uN: a signed 16-bit UTF-16 unit, followed by \ucN fallback characters to skip.
  void unicode(long param) {
    const auto unit = static_cast<char32_t>(param < 0 ? param + 65536 : param) & 0xFFFF;
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      high_surrogate_ = unit;
    } else if (unit >= 0xDC00 && unit <= 0xDFFF && high_surrogate_ != 0) {
      text(0x10000 + ((high_surrogate_ - 0xD800) << 10) + (unit - 0xDC00));
      high_surrogate_ = 0;
    } else {
      text(unit);
      high_surrogate_ = 0;
    }
    fallback_left_ = state().unicode_skip;
  }

  std::string_view rtf_;
  const ExtractLimits& limits_;
  TextBuilder out_;
  std::vector<State> stack_;
  std::size_t pos_ = 0;
  std::string pending_;  // code-page bytes not yet decoded (a DBCS character spans two)
  int document_code_page_ = 1252;
  long current_font_ = 0;
  std::map<long, int> font_code_pages_;
  int fallback_left_ = 0;
  char32_t high_surrogate_ = 0;
  CodePageDecoder decoder_;
};

}  // namespace

Extraction extract_rtf(std::string_view rtf, const ExtractLimits& limits) {
  return RtfParser(rtf, limits).run();
}

}  // namespace cm::extract::detail
