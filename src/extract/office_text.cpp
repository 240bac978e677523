// SPDX-License-Identifier: AGPL-3.0-or-later
// DOCX (word/document.xml) and ODT (content.xml) text: libzip reads the entry under size caps
// that hold whatever the zip headers claim, pugixml parses it after a nesting check, and an
// iterative walk (no recursion, so no stack to exhaust) collects the text.

#include <zip.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <pugixml.hpp>
#include <vector>

#include "extract/formats.hpp"

namespace cm::extract::detail {
namespace {

constexpr std::uint64_t kSmallPartBytes = 1 << 20;  // _rels/.rels, app.xml, meta.xml, manifest

std::string mib(std::uint64_t bytes) {
  if (bytes % (1 << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

class ZipReader {
 public:
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;
  ~ZipReader() { zip_discard(archive_); }

  // nullptr and a reason when the file is not a readable zip.
  static std::unique_ptr<ZipReader> open(const std::string& path, const ExtractLimits& limits,
                                         std::string& reason) {
    int error = 0;
    zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &error);
    if (archive == nullptr) {
      zip_error_t details;
      zip_error_init_with_code(&details, error);
      reason = std::string("not a readable zip archive (") + zip_error_strerror(&details) + ")";
      zip_error_fini(&details);
      return nullptr;
    }
    return std::unique_ptr<ZipReader>(new ZipReader(archive, limits));
  }

  bool has(const std::string& name) const {
    return zip_name_locate(archive_, name.c_str(), 0) >= 0;
  }

  // Reads the entry whole into `out`, at most `cap` bytes (and the per-entry and total limits).
  bool read(const std::string& name, std::uint64_t cap, std::string& out, std::string& reason) {
    const zip_int64_t index = zip_name_locate(archive_, name.c_str(), 0);
    if (index < 0) {
      reason = "the archive has no " + name;
      return false;
    }
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(archive_, static_cast<zip_uint64_t>(index), 0, &stat) != 0) {
      reason = "unreadable zip entry " + name;
      return false;
    }
    if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 && stat.encryption_method != ZIP_EM_NONE) {
      reason = "encrypted";
      return false;
    }
    cap = std::min(cap, limits_.max_entry_bytes);
    const std::uint64_t total_left =
        limits_.max_total_bytes > total_read_ ? limits_.max_total_bytes - total_read_ : 0;
    const auto too_big = [&](std::uint64_t size) {
      reason = size > cap ? "zip entry " + name + " expands beyond " + mib(cap)
                          : "the archive expands beyond " + mib(limits_.max_total_bytes) +
                                " in total (at " + name + ")";
      reason += ": refusing a possible zip bomb";
      return false;
    };
    // The declared size is only a hint (a bomb may lie); the count while reading decides.
    if ((stat.valid & ZIP_STAT_SIZE) != 0 && (stat.size > cap || stat.size > total_left)) {
      return too_big(stat.size);
    }
    zip_file_t* file = zip_fopen_index(archive_, static_cast<zip_uint64_t>(index), 0);
    if (file == nullptr) {
      reason = "unreadable zip entry " + name + " (" + zip_strerror(archive_) + ")";
      return false;
    }
    out.clear();
    constexpr std::size_t kChunk = 1 << 16;
    bool ok = true;
    for (;;) {
      const std::size_t old_size = out.size();
      out.resize(old_size + kChunk);
      const zip_int64_t n = zip_fread(file, out.data() + old_size, kChunk);
      if (n < 0) {
        reason = "corrupt zip entry " + name + " (" + zip_file_strerror(file) + ")";
        ok = false;
        break;
      }
      out.resize(old_size + static_cast<std::size_t>(n));
      if (n == 0) break;
      if (out.size() > cap || out.size() > total_left) {
        ok = too_big(out.size());
        break;
      }
    }
    zip_fclose(file);
    if (!ok) {
      out.clear();
      out.shrink_to_fit();
      return false;
    }
    total_read_ += out.size();
    return true;
  }

 private:
  ZipReader(zip_t* archive, const ExtractLimits& limits) : archive_(archive), limits_(limits) {}

  zip_t* archive_;
  const ExtractLimits& limits_;
  std::uint64_t total_read_ = 0;
};

// Parses `xml` (which must outlive `document`) after checking its nesting.
bool parse_xml(std::string& xml, const std::string& name, const ExtractLimits& limits,
               pugi::xml_document& document, std::string& reason) {
  if (xml_nesting_exceeds(xml, limits.max_nesting_depth)) {
    reason = name + " nests elements deeper than " + std::to_string(limits.max_nesting_depth) +
             " levels";
    return false;
  }
  // parse_ws_pcdata: <w:t> </w:t> is a meaningful space.
  const pugi::xml_parse_result parsed = document.load_buffer_inplace(
      xml.data(), xml.size(), pugi::parse_default | pugi::parse_ws_pcdata, pugi::encoding_auto);
  if (!parsed) {
    reason = name + " is not well-formed XML (" + parsed.description() + ")";
    return false;
  }
  return true;
}

std::string_view local_name(const pugi::xml_node& node) {
  const std::string_view name = node.name();
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// Visits the nodes under `root` in document order without recursion: enter(node) returns
// whether to descend into the node, leave(node) follows every enter(). False when the tree
// nests deeper than max_depth (a UTF-16 document escapes the byte-level pre-check).
template <class Enter, class Leave>
bool walk(const pugi::xml_node& root, int max_depth, Enter&& enter, Leave&& leave) {
  pugi::xml_node node = root.first_child();
  int depth = 1;
  while (node) {
    if (enter(node) && node.first_child()) {
      if (++depth > max_depth) return false;
      node = node.first_child();
      continue;
    }
    for (;;) {
      leave(node);
      if (pugi::xml_node next = node.next_sibling()) {
        node = next;
        break;
      }
      node = node.parent();
      --depth;
      if (node == root || !node) {
        node = pugi::xml_node();
        break;
      }
    }
  }
  return true;
}

void append_children_text(const pugi::xml_node& node, TextBuilder& out) {
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      out.append(std::string_view(child.value()));
    }
  }
}

int parse_page_count(const char* text) {
  const long value = std::strtol(text, nullptr, 10);
  return value > 0 && value < 10'000'000 ? static_cast<int>(value) : 0;
}

// ---------------------------------------------------------------------------------------------
// DOCX

bool docx_text(const pugi::xml_node& root, const ExtractLimits& limits, TextBuilder& out) {
  const auto enter = [&](const pugi::xml_node& node) {
    if (node.type() != pugi::node_element) return false;  // text outside <w:t> is layout
    const std::string_view name = local_name(node);
    // Properties (pPr, rPr, sectPr, tblPr, ...) hold tab stops and styles, not text. Deleted
    // text and field codes are not what the reader sees; mc:Fallback repeats mc:Choice.
    if (name.size() > 2 && name.substr(name.size() - 2) == "Pr") return false;
    if (name == "delText" || name == "instrText" || name == "delInstrText" || name == "Fallback" ||
        name == "footnoteReference" || name == "endnoteReference" || name == "commentReference" ||
        name == "softHyphen" || name == "sym") {
      return false;
    }
    if (name == "t") {
      append_children_text(node, out);
      return false;
    }
    if (name == "tab") {
      out.append(U'\t');
    } else if (name == "br" || name == "cr") {
      out.append(U'\n');
    } else if (name == "noBreakHyphen") {
      out.append(U'-');
    }
    return true;
  };
  const auto leave = [&](const pugi::xml_node& node) {
    if (node.type() != pugi::node_element) return;
    const std::string_view name = local_name(node);
    if (name == "p" || name == "tr") out.end_paragraph();
  };
  return walk(root, limits.max_nesting_depth, enter, leave);
}

// The main document part named by the package relationships (usually word/document.xml).
std::string docx_main_part(ZipReader& zip) {
  std::string xml;
  std::string ignored;
  pugi::xml_document rels;
  if (zip.read("_rels/.rels", kSmallPartBytes, xml, ignored) &&
      rels.load_buffer_inplace(xml.data(), xml.size())) {
    for (const pugi::xml_node rel : rels.document_element().children()) {
      const std::string_view type = rel.attribute("Type").value();
      const std::string_view suffix = "/officeDocument";
      if (type.size() > suffix.size() && type.substr(type.size() - suffix.size()) == suffix) {
        std::string target = rel.attribute("TargetMode").value() == std::string_view("External")
                                 ? ""
                                 : rel.attribute("Target").value();
        if (!target.empty() && target.front() == '/') target.erase(0, 1);
        if (!target.empty() && zip.has(target)) return target;
      }
    }
  }
  return "word/document.xml";
}

// ---------------------------------------------------------------------------------------------
// ODT

class OdtText {
 public:
  OdtText(const ExtractLimits& limits, TextBuilder& out) : limits_(limits), out_(out) {}

  bool run(const pugi::xml_node& body) {
    if (!walk_part(body)) return false;
    // Footnotes and endnotes after the body, as for DOCX, not in the middle of a sentence.
    for (std::size_t i = 0; i < notes_.size() && !out_.full(); ++i) {
      out_.end_paragraph();
      if (!walk_part(notes_[i])) return false;
    }
    return true;
  }

 private:
  bool walk_part(const pugi::xml_node& root) {
    const auto enter = [&](const pugi::xml_node& node) { return this->enter(node); };
    const auto leave = [&](const pugi::xml_node& node) {
      if (node.type() != pugi::node_element) return;
      const std::string_view name = local_name(node);
      if (name == "p" || name == "h") out_.end_paragraph();
    };
    return walk(root, limits_.max_nesting_depth, enter, leave);
  }

  bool enter(const pugi::xml_node& node) {
    if (node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata) {
      append_collapsed(node.value());
      return false;
    }
    if (node.type() != pugi::node_element) return false;
    const std::string_view name = local_name(node);
    if (name == "tracked-changes" || name == "annotation" || name == "note-citation" ||
        name == "sequence-decls" || name == "variable-decls" || name == "user-field-decls" ||
        name == "desc" || name == "title" || name == "forms") {
      return false;
    }
    if (name == "note-body") {
      if (notes_.size() < 100'000) notes_.push_back(node);
      return false;
    }
    if (name == "p" || name == "h") {
      after_space_ = true;  // leading white space of a paragraph is not content
    } else if (name == "s") {
      const long count = std::strtol(node.attribute("text:c").as_string("1"), nullptr, 10);
      for (long i = 0; i < std::clamp(count, 1L, 1000L); ++i) out_.append(U' ');
      return false;
    } else if (name == "tab") {
      out_.append(U'\t');
      return false;
    } else if (name == "line-break") {
      out_.append(U'\n');
      return false;
    }
    return true;
  }

  // ODF collapses runs of white space in text content to one space; spaces that matter are
  // written as <text:s/>.
  void append_collapsed(std::string_view text) {
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
      const bool space = i < text.size() &&
                         (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r');
      if (i < text.size() && !space) continue;
      if (i > start) {
        out_.append(text.substr(start, i - start));
        after_space_ = false;
      }
      if (space && !after_space_) {
        out_.append(U' ');
        after_space_ = true;
      }
      start = i + 1;
    }
  }

  const ExtractLimits& limits_;
  TextBuilder& out_;
  std::vector<pugi::xml_node> notes_;
  bool after_space_ = true;
};

}  // namespace

Extraction extract_docx(const std::string& path, const ExtractLimits& limits) {
  std::string reason;
  auto zip = ZipReader::open(path, limits, reason);
  if (!zip) return failed(reason);
  const std::string main_part = docx_main_part(*zip);
  if (!zip->has(main_part)) return failed("not a DOCX document: no " + main_part);

  TextBuilder out(limits.max_output_chars);
  const std::string directory = main_part.substr(0, main_part.rfind('/') + 1);
  for (const std::string& part :
       {main_part, directory + "footnotes.xml", directory + "endnotes.xml"}) {
    if (out.full()) break;
    if (part != main_part && !zip->has(part)) continue;
    std::string xml;
    pugi::xml_document document;
    if (!zip->read(part, limits.max_entry_bytes, xml, reason) ||
        !parse_xml(xml, part, limits, document, reason)) {
      return failed(reason);
    }
    out.end_paragraph();
    if (!docx_text(document.document_element(), limits, out)) {
      return failed(part + " nests elements deeper than " +
                    std::to_string(limits.max_nesting_depth) + " levels");
    }
  }

  // The page count Word or LibreOffice recorded when saving (docProps/app.xml).
  int pages = 0;
  std::string app_xml;
  pugi::xml_document app;
  if (zip->read("docProps/app.xml", kSmallPartBytes, app_xml, reason) &&
      app.load_buffer_inplace(app_xml.data(), app_xml.size())) {
    pages = parse_page_count(app.document_element().child_value("Pages"));
  }
  return out.finish(pages);
}

Extraction extract_odt(const std::string& path, const ExtractLimits& limits) {
  std::string reason;
  auto zip = ZipReader::open(path, limits, reason);
  if (!zip) return failed(reason);
  if (!zip->has("content.xml")) return failed("not an ODT document: no content.xml");

  // Encrypted ODF packages declare it in the manifest; their content.xml is ciphertext.
  std::string manifest;
  if (zip->read("META-INF/manifest.xml", kSmallPartBytes, manifest, reason) &&
      manifest.find("encryption-data") != std::string::npos) {
    return failed("encrypted");
  }

  std::string xml;
  pugi::xml_document document;
  if (!zip->read("content.xml", limits.max_entry_bytes, xml, reason) ||
      !parse_xml(xml, "content.xml", limits, document, reason)) {
    return failed(reason);
  }
  TextBuilder out(limits.max_output_chars);
  pugi::xml_node body;
  for (const pugi::xml_node child : document.document_element().children()) {
    if (local_name(child) == "body") body = child;
  }
  if (body && !OdtText(limits, out).run(body)) {
    return failed("content.xml nests elements deeper than " +
                  std::to_string(limits.max_nesting_depth) + " levels");
  }

  int pages = 0;
  std::string meta_xml;
  pugi::xml_document meta;
  if (zip->read("meta.xml", kSmallPartBytes, meta_xml, reason) &&
      meta.load_buffer_inplace(meta_xml.data(), meta_xml.size())) {
    pages = parse_page_count(meta.document_element()
                                 .child("office:meta")
                                 .child("meta:document-statistic")
                                 .attribute("meta:page-count")
                                 .value());
  }
  return out.finish(pages);
}

}  // namespace cm::extract::detail
