// SPDX-License-Identifier: AGPL-3.0-or-later
#include "render/pdf_renderer.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

#include <algorithm>
#include <mutex>
#include <vector>

#include "core/time.hpp"

namespace cm::render {

namespace {

constexpr FontFile kFontFiles[] = {
    {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVu Sans", "fonts-dejavu-core"},
    {"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "DejaVu Sans", "fonts-dejavu-core"},
    {"/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", "DejaVu Sans Mono",
     "fonts-dejavu-core"},
    {"/usr/share/fonts/truetype/noto/NotoSansArabicUI-Regular.ttf", "Noto Sans Arabic UI",
     "fonts-noto-ui-core"},
    {"/usr/share/fonts/truetype/noto/NotoSansArabicUI-Bold.ttf", "Noto Sans Arabic UI",
     "fonts-noto-ui-core"},
    {"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "WenQuanYi Micro Hei", "fonts-wqy-microhei"},
};

// The families in the order pango tries them for each character.
constexpr const char* kSans = "DejaVu Sans, Noto Sans Arabic UI, WenQuanYi Micro Hei";
constexpr const char* kMono = "DejaVu Sans Mono, WenQuanYi Micro Hei Mono";

// The private fontconfig configuration: nothing from /etc/fonts, only the files above. DejaVu
// Sans has Arabic glyphs in its regular face but not in its bold one; taking Arabic out of its
// coverage when the files are scanned makes every Arabic run use Noto Sans Arabic UI (designed
// for Arabic, with both weights), whatever the weight.
constexpr const char* kFontConfig = R"(<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <match target="scan">
    <test name="family"><string>DejaVu Sans</string></test>
    <edit name="charset" mode="assign">
      <minus>
        <name>charset</name>
        <charset>
          <range><int>0x0600</int><int>0x08FF</int></range>
          <range><int>0xFB50</int><int>0xFDFF</int></range>
          <range><int>0xFE70</int><int>0xFEFF</int></range>
        </charset>
      </minus>
    </edit>
  </match>
</fontconfig>
)";

// A4 in points, 20 mm margins.
constexpr double kPageWidth = 595.276;
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 56.69;
constexpr double kContentWidth = kPageWidth - 2 * kMargin;
constexpr double kFooterGap = 18;  // between the content's bottom and the footer line
constexpr double kContentBottom = kPageHeight - kMargin - kFooterGap;

constexpr double kLabelWidth = 150;
constexpr double kCellPadX = 6;
constexpr double kCellPadY = 4;
constexpr double kBlockGap = 8;
constexpr double kSectionGapBefore = 14;
constexpr double kSectionGapAfter = 6;

struct Rgb {
  double r, g, b;
};
constexpr Rgb kText{0.07, 0.09, 0.12};
constexpr Rgb kMuted{0.36, 0.40, 0.45};
constexpr Rgb kRule{0.72, 0.75, 0.79};
constexpr Rgb kHeadingFill{0.90, 0.93, 0.96};
constexpr Rgb kLabelFill{0.97, 0.975, 0.98};

struct GObjectDeleter {
  void operator()(gpointer p) const noexcept {
    if (p) g_object_unref(p);
  }
};
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectDeleter>;

struct FontDescDeleter {
  void operator()(PangoFontDescription* d) const noexcept { pango_font_description_free(d); }
};
using FontDescPtr = std::unique_ptr<PangoFontDescription, FontDescDeleter>;

struct Style {
  const char* family;
  double size;  // points
  bool bold;
  Rgb color;
};
constexpr Style kTitleStyle{kSans, 18, true, kText};
constexpr Style kSubtitleStyle{kSans, 9, false, kMuted};
constexpr Style kSectionStyle{kSans, 12, true, kText};
constexpr Style kHeadingStyle{kSans, 10, true, kText};
constexpr Style kLabelStyle{kSans, 8.5, false, kMuted};
constexpr Style kValueStyle{kSans, 9.5, false, kText};
constexpr Style kCodeStyle{kMono, 8, false, kText};  // a SHA-256 in hex fits one line
constexpr Style kFooterStyle{kSans, 8, false, kMuted};

// Valid UTF-8 for pango (which draws nothing for invalid text): bad bytes become U+FFFD.
std::string valid_utf8(std::string_view text) {
  if (g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr))
    return std::string(text);
  gchar* fixed = g_utf8_make_valid(text.data(), static_cast<gssize>(text.size()));
  std::string out(fixed);
  g_free(fixed);
  return out;
}

// One laid-out piece of text with its colour.
struct Text {
  LayoutPtr layout;
  Rgb color{};
  double height = 0;
};

// A row of the page flow. Rows are measured first, then placed on pages, then drawn.
struct Row {
  enum class Kind { title, subtitle, section, heading, field } kind = Kind::field;
  Text first;   // title, subtitle, section title, block heading, or a field's label
  Text second;  // a field's value
  double height = 0;
  double gap_before = 0;
  bool keep_with_next = false;  // a section title stays with its first table row
  bool block_start = false;     // the first row of a table (its top border)
};

class Painter {
 public:
  explicit Painter(PangoContext* context) : context_(context) {}

  Text text(std::string_view content, const Style& style, double width) const {
    Text t;
    t.layout.reset(pango_layout_new(context_));
    FontDescPtr desc(pango_font_description_from_string(style.family));
    pango_font_description_set_size(desc.get(), static_cast<gint>(style.size * PANGO_SCALE));
    pango_font_description_set_weight(desc.get(),
                                      style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(t.layout.get(), desc.get());
    // The context's left-to-right base direction, not one guessed from the text (see render()).
    pango_layout_set_auto_dir(t.layout.get(), FALSE);
    pango_layout_set_width(t.layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(t.layout.get(), PANGO_WRAP_WORD_CHAR);
    const auto valid = valid_utf8(content);
    pango_layout_set_text(t.layout.get(), valid.data(), static_cast<int>(valid.size()));
    // No optional Latin ligatures: their glyphs copy out as U+FB01 "ﬁ" and the like, and a
    // search for "Griffin" in the certificate must find it. Required ligatures stay (Arabic
    // lam-alef is `rlig`).
    PangoAttrList* attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_font_features_new("liga 0, clig 0"));
    // A hash broken across lines must not gain a hyphen that is not part of it.
    pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(t.layout.get(), attrs);
    pango_attr_list_unref(attrs);
    int w = 0;
    int h = 0;
    pango_layout_get_size(t.layout.get(), &w, &h);
    t.height = static_cast<double>(h) / PANGO_SCALE;
    t.color = style.color;
    return t;
  }

 private:
  PangoContext* context_;
};

std::vector<Row> build_rows(const Painter& p, const layout::Document& doc) {
  std::vector<Row> rows;
  const double cell_width = kContentWidth - 2 * kCellPadX;
  const double label_width = kLabelWidth - 2 * kCellPadX;
  const double value_width = kContentWidth - kLabelWidth - 2 * kCellPadX;

  Row title{Row::Kind::title, p.text(doc.title, kTitleStyle, kContentWidth), {}};
  title.height = title.first.height;
  rows.push_back(std::move(title));
  if (!doc.subtitle.empty()) {
    Row sub{Row::Kind::subtitle, p.text(doc.subtitle, kSubtitleStyle, kContentWidth), {}};
    sub.height = sub.first.height;
    sub.gap_before = 4;
    rows.push_back(std::move(sub));
  }
  for (const auto& section : doc.sections) {
    Row s{Row::Kind::section, p.text(section.title, kSectionStyle, kContentWidth), {}};
    s.height = s.first.height + kSectionGapAfter;
    s.gap_before = kSectionGapBefore;
    s.keep_with_next = true;
    rows.push_back(std::move(s));
    bool first_block = true;
    for (const auto& block : section.blocks) {
      bool first_row = true;
      const double gap = first_block ? 0 : kBlockGap;
      if (!block.heading.empty()) {
        Row h{Row::Kind::heading, p.text(block.heading, kHeadingStyle, cell_width), {}};
        h.height = h.first.height + 2 * kCellPadY;
        h.gap_before = gap;
        h.keep_with_next = true;
        h.block_start = true;
        rows.push_back(std::move(h));
        first_row = false;
      }
      for (const auto& field : block.fields) {
        Row f{Row::Kind::field, p.text(field.label, kLabelStyle, label_width),
              p.text(field.value, field.code ? kCodeStyle : kValueStyle, value_width)};
        f.height = std::max(f.first.height, f.second.height) + 2 * kCellPadY;
        if (first_row) {
          f.gap_before = gap;
          f.block_start = true;
          first_row = false;
        }
        rows.push_back(std::move(f));
      }
      first_block = false;
    }
  }
  return rows;
}

// Page index of every row: a row that does not fit goes to the next page, with the rows it
// must stay with.
std::vector<int> paginate(const std::vector<Row>& rows, int& pages) {
  std::vector<int> page_of(rows.size(), 0);
  int page = 0;
  double y = kMargin;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    // The height of this row together with the rows it keeps with.
    double needed = rows[i].gap_before + rows[i].height;
    for (std::size_t j = i; j + 1 < rows.size() && rows[j].keep_with_next; ++j)
      needed += rows[j + 1].gap_before + rows[j + 1].height;
    const bool top = y == kMargin;
    if (!top && y + needed > kContentBottom) {
      ++page;
      y = kMargin;
    }
    y += (y == kMargin ? 0 : rows[i].gap_before) + rows[i].height;
    page_of[i] = page;
  }
  pages = page + 1;
  return page_of;
}

void set_color(cairo_t* cr, Rgb c) {
  cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

void show(cairo_t* cr, const Text& t, double x, double y) {
  set_color(cr, t.color);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, t.layout.get());
}

void cell(cairo_t* cr, double x, double y, double w, double h, const Rgb* fill) {
  cairo_rectangle(cr, x, y, w, h);
  if (fill) {
    set_color(cr, *fill);
    cairo_fill_preserve(cr);
  }
  set_color(cr, kRule);
  cairo_set_line_width(cr, 0.5);
  cairo_stroke(cr);
}

void draw_row(cairo_t* cr, const Row& row, double y) {
  const double x = kMargin;
  switch (row.kind) {
    case Row::Kind::title:
    case Row::Kind::subtitle:
      show(cr, row.first, x, y);
      break;
    case Row::Kind::section:
      show(cr, row.first, x, y);
      set_color(cr, kText);
      cairo_set_line_width(cr, 0.8);
      cairo_move_to(cr, x, y + row.first.height + 2);
      cairo_line_to(cr, x + kContentWidth, y + row.first.height + 2);
      cairo_stroke(cr);
      break;
    case Row::Kind::heading:
      cell(cr, x, y, kContentWidth, row.height, &kHeadingFill);
      show(cr, row.first, x + kCellPadX, y + kCellPadY);
      break;
    case Row::Kind::field:
      cell(cr, x, y, kLabelWidth, row.height, &kLabelFill);
      cell(cr, x + kLabelWidth, y, kContentWidth - kLabelWidth, row.height, nullptr);
      show(cr, row.first, x + kCellPadX, y + kCellPadY);
      show(cr, row.second, x + kLabelWidth + kCellPadX, y + kCellPadY);
      break;
  }
}

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::string missing_fonts_message(const std::vector<const FontFile*>& missing) {
  std::string message = "missing fonts for the signature certificate:";
  for (const auto* f : missing)
    message += " " + std::string(f->path) + " (" + std::string(f->family) + ", Debian package " +
               std::string(f->package) + ")";
  return message + "; scripts/setup.sh installs them";
}

bool has_family(FcConfig* config, std::string_view family) {
  FcPattern* pattern = FcPatternCreate();
  const std::string name(family);
  FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>(name.c_str()));
  FcObjectSet* objects = FcObjectSetBuild(FC_FAMILY, nullptr);
  FcFontSet* fonts = FcFontList(config, pattern, objects);
  const bool found = fonts && fonts->nfont > 0;
  if (fonts) FcFontSetDestroy(fonts);
  FcObjectSetDestroy(objects);
  FcPatternDestroy(pattern);
  return found;
}

}  // namespace

std::span<const FontFile> font_files() noexcept {
  return kFontFiles;
}

struct PdfRenderer::Impl {
  FcConfig* config = nullptr;
  PangoFontMap* font_map = nullptr;
  std::mutex mutex;

  ~Impl() {
    if (font_map) g_object_unref(font_map);
    if (config) FcConfigDestroy(config);
  }
};

PdfRenderer::PdfRenderer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PdfRenderer::~PdfRenderer() = default;

Result<std::unique_ptr<PdfRenderer>> PdfRenderer::create(std::span<const FontFile> fonts) {
  auto impl = std::make_unique<Impl>();
  impl->config = FcConfigCreate();
  if (!impl->config || !FcConfigParseAndLoadFromMemory(
                           impl->config, reinterpret_cast<const FcChar8*>(kFontConfig), FcTrue))
    return Error{ErrorKind::internal, "cannot set up fontconfig for the signature certificate"};
  std::vector<const FontFile*> missing;
  for (const auto& f : fonts) {
    const std::string path(f.path);
    if (!FcConfigAppFontAddFile(impl->config, reinterpret_cast<const FcChar8*>(path.c_str())))
      missing.push_back(&f);
  }
  // A file at the right path that declares another family would silently change the rendering.
  for (const auto& f : fonts)
    if (std::find(missing.begin(), missing.end(), &f) == missing.end() &&
        !has_family(impl->config, f.family))
      missing.push_back(&f);
  if (!missing.empty()) return Error{ErrorKind::internal, missing_fonts_message(missing)};

  impl->font_map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
  if (!impl->font_map)
    return Error{ErrorKind::internal, "pango has no FreeType font map for the certificate"};
  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(impl->font_map), impl->config);
  return std::unique_ptr<PdfRenderer>(new PdfRenderer(std::move(impl)));
}

std::string PdfRenderer::render(const layout::Document& doc) const {
  const std::lock_guard lock(impl_->mutex);
  std::string out;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(append_to_string, &out, kPageWidth, kPageHeight);
  cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_4);
  const auto title = valid_utf8(doc.title);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "contractmgmt");
  // cairo would write the current time; the document's own time keeps the output deterministic.
  const auto created = format_rfc3339(doc.created_at).substr(0, 19) + "Z";
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, created.c_str());
  cairo_t* cr = cairo_create(surface);

  PangoContext* context = pango_font_map_create_context(impl_->font_map);
  pango_cairo_context_set_resolution(context, 72);  // sizes in points = PDF units
  // At 72 units per inch, pango's default rounding of glyph positions to whole units would
  // space letters unevenly (and widen a 64-digit hash past its column).
  pango_context_set_round_glyph_positions(context, FALSE);
  // Paragraphs are left to right even when they start with Arabic ("4. محمد <m@example.sa>"
  // keeps its number on the left); the right-to-left runs inside are still reordered and shaped.
  pango_context_set_base_dir(context, PANGO_DIRECTION_LTR);
  cairo_font_options_t* options = cairo_font_options_create();
  // Unhinted outlines and metrics: the layout is the same whatever the machine's defaults.
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options(context, options);
  cairo_font_options_destroy(options);
  pango_cairo_update_context(cr, context);
  {
    const Painter painter(context);
    const auto rows = build_rows(painter, doc);
    int pages = 1;
    const auto page_of = paginate(rows, pages);
    int page = 0;
    double y = kMargin;
    const auto footer = [&](int n) {
      const double fy = kPageHeight - kMargin - 10;
      set_color(cr, kRule);
      cairo_set_line_width(cr, 0.5);
      cairo_move_to(cr, kMargin, fy - 4);
      cairo_line_to(cr, kMargin + kContentWidth, fy - 4);
      cairo_stroke(cr);
      const auto left = painter.text(doc.footer, kFooterStyle, kContentWidth * 0.7);
      show(cr, left, kMargin, fy);
      auto right = painter.text("Page " + std::to_string(n + 1) + " of " + std::to_string(pages),
                                kFooterStyle, kContentWidth * 0.3);
      pango_layout_set_alignment(right.layout.get(), PANGO_ALIGN_RIGHT);
      show(cr, right, kMargin + kContentWidth * 0.7, fy);
    };
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (page_of[i] != page) {
        footer(page);
        cairo_show_page(cr);
        page = page_of[i];
        y = kMargin;
      }
      if (y != kMargin) y += rows[i].gap_before;
      draw_row(cr, rows[i], y);
      y += rows[i].height;
    }
    footer(page);
  }
  g_object_unref(context);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const auto status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS)
    throw Error{ErrorKind::internal,
                std::string("cannot write the certificate PDF: ") + cairo_status_to_string(status)};
  return out;
}

}  // namespace cm::render
