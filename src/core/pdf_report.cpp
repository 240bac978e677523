#include "core/pdf_report.hpp"

#include <array>
#include <cstdint>
#include <cstdio>

#include "core/utf8.hpp"

namespace cm::pdf {

namespace {

// A4 in points, margins, fonts.
constexpr int kPageWidth = 595;
constexpr int kPageHeight = 842;
constexpr int kMargin = 56;
constexpr int kTextWidth = kPageWidth - 2 * kMargin;
constexpr int kTitleSize = 14;
constexpr int kBodySize = 10;
constexpr int kLeading = 14;
constexpr int kFooterY = 30;
constexpr int kFirstBaseline = kPageHeight - kMargin;
constexpr int kLastBaseline = kMargin + 10;

// Advance widths (1/1000 em) of WinAnsi 0x20..0x7E, from the Adobe Core 14 AFM files.
constexpr std::array<std::uint16_t, 95> kHelvetica = {
    278,  278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  // sp../
    556,  556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  // 0..?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,  // @..O
    667,  778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,  // P.._
    333,  556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  // `..o
    556,  556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584};      // p..~
constexpr std::array<std::uint16_t, 95> kHelveticaBold = {
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,  // sp../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,  // 0..?
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,  // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,  // P.._
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,  // `..o
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584};      // p..~
// Bytes 0x80..0xFF: wider than most of those glyphs, so wrapping errs on the safe side.
constexpr std::uint16_t kHighWidth = 722;

// Windows-1252 0x80..0x9F (0 = unassigned).
constexpr std::array<char32_t, 32> kWin1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

char win_ansi_byte(char32_t cp) noexcept {
  if (cp == '\t') return ' ';
  if (cp >= 0x20 && cp <= 0x7E) return static_cast<char>(cp);
  if (cp >= 0xA0 && cp <= 0xFF) return static_cast<char>(cp);
  for (std::size_t i = 0; i < kWin1252High.size(); ++i)
    if (kWin1252High[i] != 0 && kWin1252High[i] == cp) return static_cast<char>(0x80 + i);
  return '?';
}

int glyph_width(unsigned char byte, bool bold) noexcept {
  if (byte >= 0x20 && byte <= 0x7E) return (bold ? kHelveticaBold : kHelvetica)[byte - 0x20];
  return kHighWidth;
}

// Splits WinAnsi text into lines no wider than `width` points at `size`.
std::vector<std::string> wrap(const std::string& text, bool bold, int size, int width) {
  std::vector<std::string> out;
  const long limit = static_cast<long>(width) * 1000;
  std::size_t start = 0;
  while (start < text.size()) {
    long used = 0;
    std::size_t i = start;
    std::size_t last_space = std::string::npos;
    while (i < text.size()) {
      const long w =
          static_cast<long>(glyph_width(static_cast<unsigned char>(text[i]), bold)) * size;
      if (used + w > limit && i > start) break;
      if (text[i] == ' ') last_space = i;
      used += w;
      ++i;
    }
    if (i >= text.size()) {
      out.push_back(text.substr(start));
      break;
    }
    std::size_t end = last_space != std::string::npos && last_space > start ? last_space : i;
    out.push_back(text.substr(start, end - start));
    start = end;
    while (start < text.size() && text[start] == ' ') ++start;
  }
  if (out.empty()) out.emplace_back();
  return out;
}

// A PDF literal string: ( ) \ escaped, bytes outside printable ASCII as octal escapes.
std::string literal(std::string_view win_ansi) {
  std::string out = "(";
  for (const char c : win_ansi) {
    const auto b = static_cast<unsigned char>(c);
    if (c == '(' || c == ')' || c == '\\') {
      out += '\\';
      out += c;
    } else if (b < 0x20 || b > 0x7E) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\%03o", b);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + ")";
}

// A PDF text string (document information) as UTF-16BE hex with a byte order mark.
std::string utf16_hex(std::string_view utf8) {
  std::string out = "<FEFF";
  const auto unit = [&out](unsigned value) {
    char buf[5];
    std::snprintf(buf, sizeof buf, "%04X", value & 0xFFFF);
    out += buf;
  };
  for (std::size_t i = 0; i < utf8.size();) {
    const auto cp = utf8::decode(utf8, i);
    i += cp.length;
    const char32_t v = cp.valid && cp.value >= 0x20 ? cp.value : U'?';
    if (v >= 0x10000) {
      unit(0xD800 + ((v - 0x10000) >> 10));
      unit(0xDC00 + ((v - 0x10000) & 0x3FF));
    } else {
      unit(v);
    }
  }
  return out + ">";
}

struct PlacedLine {
  std::string text;  // WinAnsi
  bool bold = false;
  int size = kBodySize;
  int y = 0;
};

// Lays the report out into pages of positioned lines.
std::vector<std::vector<PlacedLine>> layout(const Report& report) {
  std::vector<std::vector<PlacedLine>> pages(1);
  int y = kFirstBaseline;
  const auto place = [&](const std::string& text, bool bold, int size, int advance) {
    if (y < kLastBaseline) {
      pages.emplace_back();
      y = kFirstBaseline;
    }
    pages.back().push_back({text, bold, size, y});
    y -= advance;
  };
  for (const auto& piece : wrap(to_win_ansi(report.title), true, kTitleSize, kTextWidth))
    place(piece, true, kTitleSize, kLeading + 6);
  for (const auto& line : report.lines) {
    if (line.gap_before && y != kFirstBaseline) y -= kLeading / 2;
    for (const auto& piece : wrap(to_win_ansi(line.text), line.bold, kBodySize, kTextWidth))
      place(piece, line.bold, kBodySize, kLeading);
  }
  return pages;
}

std::string page_content(const std::vector<PlacedLine>& lines, std::size_t page,
                         std::size_t page_count) {
  std::string out;
  for (const auto& l : lines) {
    out += "BT /" + std::string(l.bold ? "F2 " : "F1 ") + std::to_string(l.size) + " Tf 1 0 0 1 " +
           std::to_string(kMargin) + " " + std::to_string(l.y) + " Tm " + literal(l.text) +
           " Tj ET\n";
  }
  out += "BT /F1 8 Tf 1 0 0 1 " + std::to_string(kMargin) + " " + std::to_string(kFooterY) +
         " Tm " +
         literal("Page " + std::to_string(page + 1) + " of " + std::to_string(page_count)) +
         " Tj ET\n";
  return out;
}

}  // namespace

std::string to_win_ansi(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const auto cp = utf8::decode(utf8, i);
    i += cp.length;
    out += cp.valid ? win_ansi_byte(cp.value) : '?';
  }
  return out;
}

std::string render(const Report& report) {
  const auto pages = layout(report);
  // Objects: 1 catalog, 2 page tree, 3 Helvetica, 4 Helvetica-Bold, 5 info, then a page and its
  // content stream for each page.
  std::vector<std::string> objects;
  std::string kids;
  for (std::size_t i = 0; i < pages.size(); ++i)
    kids += (i ? " " : "") + std::to_string(6 + 2 * i) + " 0 R";
  objects.emplace_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) +
                    " >>");
  objects.emplace_back(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  objects.emplace_back(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
  objects.push_back("<< /Title " + utf16_hex(report.title) + " /Producer (contractmgmt) >>");
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const auto content = page_content(pages[i], i, pages.size());
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + std::to_string(kPageWidth) +
                      " " + std::to_string(kPageHeight) +
                      "] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents " +
                      std::to_string(7 + 2 * i) + " 0 R >>");
    objects.push_back("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content +
                      "endstream");
  }

  std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const auto xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (const auto offset : offsets) {
    char entry[21];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
    out += entry;
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R /Info 5 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

}  // namespace cm::pdf
