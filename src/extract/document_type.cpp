// SPDX-License-Identifier: AGPL-3.0-or-later
#include "extract/document_type.hpp"

#include <magic.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <memory>
#include <mutex>
#include <vector>

#include "core/strings.hpp"

namespace cm::extract {
namespace {

constexpr std::string_view kDocxMime =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr std::string_view kOdtMime = "application/vnd.oasis.opendocument.text";

// The lower-case extension of a file name without the dot ("" when there is none).
std::string extension_of(std::string_view filename) {
  const auto slash = filename.find_last_of("/\\");
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
  const auto dot = filename.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  return to_lower(filename.substr(dot + 1));
}

Error unsupported(std::string_view detected) {
  return {ErrorKind::unsupported_media_type,
          "Unsupported file type " + std::string(detected) +
              "; accepted are PDF, DOCX, DOC, ODT, RTF, plain text, Markdown, PNG and JPEG."};
}

// One libmagic handle for the process, used under a lock: magic_t is not safe to share, and a
// handle per thread costs its own copy of the 8 MB database in every thread that ever detects
// a type (64 MB resident with 8 handler threads, measured). Detection of a 64 KiB head takes
// well under a millisecond, so the lock is not a bottleneck next to the upload itself.
class Magic {
 public:
  Magic() {
    // No peeking into compressed data: a document upload is never a .gz, and decompressing
    // attacker data is work we do not need.
    cookie_ = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_TAR);
    if (cookie_ == nullptr) return;
    if (magic_load(cookie_, nullptr) != 0) {
      magic_close(cookie_);
      cookie_ = nullptr;
      return;
    }
    const std::size_t bytes_max = 1 << 20;
    magic_setparam(cookie_, MAGIC_PARAM_BYTES_MAX, &bytes_max);
  }
  ~Magic() {
    if (cookie_ != nullptr) magic_close(cookie_);
  }
  Magic(const Magic&) = delete;
  Magic& operator=(const Magic&) = delete;

  Result<std::string> mime(std::string_view bytes) {
    const std::lock_guard lock(mutex_);
    if (cookie_ == nullptr) {
      return Error{ErrorKind::internal, "libmagic could not load its database"};
    }
    const char* type = magic_buffer(cookie_, bytes.data(), bytes.size());
    if (type == nullptr) return Error{ErrorKind::internal, "libmagic failed"};
    return std::string(type);
  }

 private:
  std::mutex mutex_;
  magic_t cookie_ = nullptr;
};

Magic& shared_magic() {
  static Magic magic;
  return magic;
}

std::uint32_t le16(std::string_view s, std::size_t at) {
  return static_cast<unsigned char>(s[at]) | (static_cast<unsigned char>(s[at + 1]) << 8);
}
std::uint32_t le32(std::string_view s, std::size_t at) {
  return le16(s, at) | (le16(s, at + 2) << 16);
}

constexpr std::string_view kLocalHeader{"PK\x03\x04", 4};

// Entry names (and, for a stored "mimetype" entry, its contents) from the local file headers
// found in the head of a zip. Entries written with a data descriptor have no size in their
// header; then the next header is found by searching for its signature.
struct ZipHead {
  std::vector<std::string> names;
  std::string mimetype;
};

ZipHead scan_zip_head(std::string_view head) {
  ZipHead out;
  std::size_t at = 0;
  while (out.names.size() < 256 && at + 30 <= head.size() && head.substr(at, 4) == kLocalHeader) {
    const std::uint32_t flags = le16(head, at + 6);
    const std::uint32_t method = le16(head, at + 8);
    const std::uint32_t compressed = le32(head, at + 18);
    const std::uint32_t name_length = le16(head, at + 26);
    const std::uint32_t extra_length = le16(head, at + 28);
    const std::size_t name_at = at + 30;
    if (name_at + name_length > head.size()) break;
    std::string name(head.substr(name_at, name_length));
    const std::size_t data_at = name_at + name_length + extra_length;
    if (name == "mimetype" && method == 0 && compressed < 256 &&
        data_at + compressed <= head.size()) {
      out.mimetype = std::string(head.substr(data_at, compressed));
    }
    out.names.push_back(std::move(name));
    const bool sizes_known = (flags & 0x08) == 0 && compressed != 0xFFFFFFFF;
    if (sizes_known) {
      at = data_at + compressed;
    } else {
      const auto next = head.find(kLocalHeader, data_at);
      if (next == std::string_view::npos) break;
      at = next;
    }
  }
  return out;
}

enum class ZipKind { docx, odt, other };

ZipKind classify_zip(const std::vector<std::string>& names, std::string_view mimetype) {
  if (mimetype == kOdtMime) return ZipKind::odt;
  if (std::find(names.begin(), names.end(), "word/document.xml") != names.end()) {
    return ZipKind::docx;
  }
  // An ODF text document whose mimetype entry was not in the head (it must be first, but some
  // writers compress it): content.xml alone is not enough, other ODF kinds have one too.
  return ZipKind::other;
}

bool is_ole2(std::string_view head) {
  return head.substr(0, 8) == std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
}

bool is_text_mime(std::string_view mime) {
  return mime.substr(0, 5) == "text/";
}

// Text formats that are active content or markup, never accepted as plain text.
bool is_markup_text(std::string_view mime) {
  return mime == "text/html" || mime == "text/xml" || mime == "text/x-php" ||
         mime == "text/javascript" || mime == "image/svg+xml";
}

DocumentType text_type(std::string_view claimed_filename) {
  const std::string ext = extension_of(claimed_filename);
  return document_type(ext == "md" || ext == "markdown" ? DocumentKind::md : DocumentKind::txt);
}

Result<DocumentType> classify(std::string_view mime, std::string_view head,
                              std::string_view claimed_filename, ZipKind zip_kind) {
  if (mime == "application/pdf") return document_type(DocumentKind::pdf);
  if (mime == "image/png") return document_type(DocumentKind::png);
  if (mime == "image/jpeg") return document_type(DocumentKind::jpeg);
  if (mime == "text/rtf" || mime == "application/rtf") return document_type(DocumentKind::rtf);
  if (mime == kDocxMime) return document_type(DocumentKind::docx);
  if (mime == kOdtMime) return document_type(DocumentKind::odt);
  if (mime == "application/msword") return document_type(DocumentKind::doc);
  if (head.substr(0, 4) == kLocalHeader &&
      (mime == "application/zip" || mime == "application/octet-stream")) {
    switch (zip_kind) {
      case ZipKind::docx:
        return document_type(DocumentKind::docx);
      case ZipKind::odt:
        return document_type(DocumentKind::odt);
      case ZipKind::other:
        return unsupported(mime);
    }
  }
  // Word 97-2003 files are OLE2 compound files; libmagic names them application/msword only
  // when their directory is within the bytes it sees. Other OLE2 files (.xls, .msg) are not
  // documents we take, so the name decides.
  if (is_ole2(head) && extension_of(claimed_filename) == "doc" &&
      (mime == "application/x-ole-storage" || mime == "application/CDFV2" ||
       mime == "application/octet-stream")) {
    return document_type(DocumentKind::doc);
  }
  if (mime == "text/plain") return text_type(claimed_filename);
  // libmagic guesses programming languages from keywords ("text/x-c" for a text that starts
  // with "#include"); a file named as text or Markdown is taken as what it says.
  if (is_text_mime(mime) && !is_markup_text(mime)) {
    const std::string ext = extension_of(claimed_filename);
    if (ext == "txt" || ext == "text" || ext == "md" || ext == "markdown") {
      return text_type(claimed_filename);
    }
  }
  return unsupported(mime);
}

// Names of all entries of the zip at `path` (from the central directory), at most 100k.
std::optional<std::vector<std::string>> zip_entry_names(const std::string& path) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &error);
  if (archive == nullptr) return std::nullopt;
  std::vector<std::string> names;
  const zip_int64_t count = std::min<zip_int64_t>(zip_get_num_entries(archive, 0), 100'000);
  for (zip_int64_t i = 0; i < count; ++i) {
    if (const char* name = zip_get_name(archive, static_cast<zip_uint64_t>(i), 0)) {
      names.emplace_back(name);
    }
  }
  zip_discard(archive);
  return names;
}

// The contents of the zip's "mimetype" entry (at most 256 bytes), or "".
std::string zip_mimetype(const std::string& path) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &error);
  if (archive == nullptr) return {};
  std::string out;
  if (zip_file_t* file = zip_fopen(archive, "mimetype", 0)) {
    std::array<char, 256> buffer{};
    const zip_int64_t n = zip_fread(file, buffer.data(), buffer.size());
    if (n > 0) out.assign(buffer.data(), static_cast<std::size_t>(n));
    zip_fclose(file);
  }
  zip_discard(archive);
  return out;
}

}  // namespace

std::string_view to_string(DocumentKind kind) noexcept {
  switch (kind) {
    case DocumentKind::pdf:
      return "pdf";
    case DocumentKind::docx:
      return "docx";
    case DocumentKind::doc:
      return "doc";
    case DocumentKind::odt:
      return "odt";
    case DocumentKind::rtf:
      return "rtf";
    case DocumentKind::txt:
      return "txt";
    case DocumentKind::md:
      return "md";
    case DocumentKind::png:
      return "png";
    case DocumentKind::jpeg:
      return "jpeg";
  }
  return "txt";
}

std::optional<DocumentKind> parse_document_kind(std::string_view name) noexcept {
  for (auto kind : {DocumentKind::pdf, DocumentKind::docx, DocumentKind::doc, DocumentKind::odt,
                    DocumentKind::rtf, DocumentKind::txt, DocumentKind::md, DocumentKind::png,
                    DocumentKind::jpeg}) {
    if (to_string(kind) == name) return kind;
  }
  return std::nullopt;
}

DocumentType document_type(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::pdf:
      return {kind, "application/pdf", "pdf"};
    case DocumentKind::docx:
      return {kind, std::string(kDocxMime), "docx"};
    case DocumentKind::doc:
      return {kind, "application/msword", "doc"};
    case DocumentKind::odt:
      return {kind, std::string(kOdtMime), "odt"};
    case DocumentKind::rtf:
      return {kind, "application/rtf", "rtf"};
    case DocumentKind::txt:
      return {kind, "text/plain", "txt"};
    case DocumentKind::md:
      return {kind, "text/markdown", "md"};
    case DocumentKind::png:
      return {kind, "image/png", "png"};
    case DocumentKind::jpeg:
      return {kind, "image/jpeg", "jpg"};
  }
  return {DocumentKind::txt, "text/plain", "txt"};
}

Result<DocumentType> detect_type(std::string_view head_bytes, std::string_view claimed_filename) {
  if (head_bytes.empty()) {
    return Error{ErrorKind::unsupported_media_type, "The file is empty (application/x-empty)."};
  }
  auto mime = shared_magic().mime(head_bytes);
  if (!mime) return mime.error();
  ZipKind zip_kind = ZipKind::other;
  if (head_bytes.substr(0, 4) == kLocalHeader) {
    const ZipHead zip = scan_zip_head(head_bytes);
    zip_kind = classify_zip(zip.names, zip.mimetype);
  }
  return classify(*mime, head_bytes, claimed_filename, zip_kind);
}

Result<DocumentType> detect_file_type(const std::string& path, std::string_view claimed_filename) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("file " + path);
  std::string head(kDetectHeadBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  auto detected = detect_type(head, claimed_filename);
  if (detected || head.substr(0, 4) != kLocalHeader) return detected;
  // A zip the head did not identify: ask its central directory.
  const auto names = zip_entry_names(path);
  if (!names) return detected;
  const ZipKind kind = classify_zip(*names, zip_mimetype(path));
  if (kind == ZipKind::docx) return document_type(DocumentKind::docx);
  if (kind == ZipKind::odt) return document_type(DocumentKind::odt);
  return detected;
}

Result<bool> check_claimed_content_type(std::string_view claimed_content_type,
                                        const DocumentType& detected) {
  std::string claimed = to_lower(claimed_content_type.substr(0, claimed_content_type.find(';')));
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  claimed.erase(claimed.begin(), std::find_if(claimed.begin(), claimed.end(), not_space));
  claimed.erase(std::find_if(claimed.rbegin(), claimed.rend(), not_space).base(), claimed.end());
  if (claimed.empty() || claimed == "application/octet-stream") return true;
  if (claimed == detected.mime) return true;

  static constexpr std::array<std::pair<DocumentKind, std::string_view>, 10> kAliases{{
      {DocumentKind::pdf, "application/x-pdf"},
      {DocumentKind::rtf, "text/rtf"},
      {DocumentKind::rtf, "application/x-rtf"},
      {DocumentKind::md, "text/x-markdown"},
      {DocumentKind::md, "text/plain"},
      {DocumentKind::jpeg, "image/jpg"},
      {DocumentKind::jpeg, "image/pjpeg"},
      {DocumentKind::doc, "application/vnd.ms-word"},
      {DocumentKind::odt, "application/x-vnd.oasis.opendocument.text"},
      {DocumentKind::png, "image/x-png"},
  }};
  for (const auto& [kind, alias] : kAliases) {
    if (kind == detected.kind && claimed == alias) return true;
  }
  return Error{ErrorKind::unsupported_media_type,
               "The Content-Type " + claimed + " does not match the file's contents, which are " +
                   detected.mime + "."};
}

}  // namespace cm::extract
