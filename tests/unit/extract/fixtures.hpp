// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Test documents built at run time: a scratch directory, DOCX/ODT packages written with libzip,
// and hand-assembled zips whose deflate streams expand to far more than they occupy (bombs).

#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "support/build_paths.hpp"

namespace cm::test {

// A directory for this test process, removed when the process exits.
inline const std::filesystem::path& scratch_dir() {
  struct Dir {
    std::filesystem::path path;
    Dir() {
      path = std::filesystem::temp_directory_path() /
             ("cm_unit_extract_" + std::to_string(::getpid()));
      std::filesystem::create_directories(path);
    }
    ~Dir() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Dir dir;
  return dir.path;
}

inline std::string write_file(const std::string& name, std::string_view bytes) {
  const auto path = scratch_dir() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
  return path.string();
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::string fixture(const std::string& name) {
  return read_file(cm::test::source_dir() + "/tests/fixtures/extract/" + name);
}
inline std::string fixture_path(const std::string& name) {
  return cm::test::source_dir() + "/tests/fixtures/extract/" + name;
}

struct ZipEntry {
  std::string name;
  std::string data;
  bool stored = false;  // no compression (the ODF mimetype entry must be stored)
};

// Writes a zip with libzip, entries in the given order.
inline std::string write_zip(const std::string& name, const std::vector<ZipEntry>& entries) {
  const std::string path = (scratch_dir() / name).string();
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (archive == nullptr) throw std::runtime_error("zip_open failed");
  for (const ZipEntry& e : entries) {
    zip_source_t* source = zip_source_buffer(archive, e.data.data(), e.data.size(), 0);
    const zip_int64_t index = zip_file_add(archive, e.name.c_str(), source, ZIP_FL_ENC_UTF_8);
    if (index < 0) throw std::runtime_error("zip_file_add failed");
    if (e.stored)
      zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
  }
  if (zip_close(archive) != 0) throw std::runtime_error("zip_close failed");
  return path;
}

inline constexpr std::string_view kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>)";
inline constexpr std::string_view kPackageRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>)";

// A word/document.xml around the given <w:body> content.
inline std::string word_document(std::string_view body) {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)") +
         R"(<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" )" +
         R"(xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>)" +
         std::string(body) + "</w:body></w:document>";
}

// A DOCX laid out as Word writes it ([Content_Types].xml, _rels/.rels, then word/...).
inline std::string write_docx(const std::string& name, const std::string& document_xml,
                              std::vector<ZipEntry> extra = {}) {
  std::vector<ZipEntry> entries = {{"[Content_Types].xml", std::string(kContentTypes)},
                                   {"_rels/.rels", std::string(kPackageRels)},
                                   {"word/document.xml", document_xml}};
  for (auto& e : extra) entries.push_back(std::move(e));
  return write_zip(name, entries);
}

inline std::string odt_content(std::string_view text_body) {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8"?>)") +
         R"(<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" )" +
         R"(xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" )" +
         R"(xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3">)" +
         R"(<office:automatic-styles><text:p>not body text</text:p></office:automatic-styles>)" +
         "<office:body><office:text>" + std::string(text_body) +
         "</office:text></office:body></office:document-content>";
}

inline std::string write_odt(const std::string& name, const std::string& content_xml,
                             std::vector<ZipEntry> extra = {}) {
  std::vector<ZipEntry> entries = {
      {"mimetype", "application/vnd.oasis.opendocument.text", true},
      {"content.xml", content_xml},
      {"META-INF/manifest.xml",
       R"(<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>)"}};
  for (auto& e : extra) entries.push_back(std::move(e));
  return write_zip(name, entries);
}

// ---------------------------------------------------------------------------------------------
// Deflate streams that expand a lot: each piece is compressed once with a full flush (which
// makes its compressed bytes independent of what came before) and then repeated.

struct Piece {
  std::string bytes;
  std::uint64_t repeat = 1;
};

struct Deflated {
  std::string data;  // raw deflate
  std::uint32_t crc = 0;
  std::uint64_t size = 0;  // uncompressed
};

inline Deflated deflate_pieces(const std::vector<Piece>& pieces) {
  z_stream z{};
  if (deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2");
  }
  const auto run = [&](std::string_view in, int flush) {
    std::string out;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    std::vector<char> buffer(1 << 16);
    do {
      z.next_out = reinterpret_cast<Bytef*>(buffer.data());
      z.avail_out = static_cast<uInt>(buffer.size());
      deflate(&z, flush);
      out.append(buffer.data(), buffer.size() - z.avail_out);
    } while (z.avail_out == 0);
    return out;
  };
  Deflated result;
  for (const Piece& piece : pieces) {
    const std::string compressed = run(piece.bytes, Z_FULL_FLUSH);
    const auto piece_crc =
        static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(piece.bytes.data()),
                                         static_cast<uInt>(piece.bytes.size())));
    // CRC and bytes of `repeat` copies, by doubling.
    std::uint32_t crc_many = 0;
    std::uint64_t size_many = 0;
    std::uint32_t crc_power = piece_crc;
    std::uint64_t size_power = piece.bytes.size();
    for (std::uint64_t n = piece.repeat; n > 0; n >>= 1) {
      if (n & 1) {
        crc_many = static_cast<std::uint32_t>(
            crc32_combine(crc_many, crc_power, static_cast<z_off_t>(size_power)));
        size_many += size_power;
      }
      crc_power = static_cast<std::uint32_t>(
          crc32_combine(crc_power, crc_power, static_cast<z_off_t>(size_power)));
      size_power *= 2;
    }
    for (std::uint64_t i = 0; i < piece.repeat; ++i) result.data += compressed;
    result.crc = static_cast<std::uint32_t>(
        crc32_combine(result.crc, crc_many, static_cast<z_off_t>(size_many)));
    result.size += size_many;
  }
  result.data += run({}, Z_FINISH);
  deflateEnd(&z);
  return result;
}

// A zip written byte by byte, so that its headers can declare any uncompressed size.
struct RawEntry {
  std::string name;
  Deflated content;
  std::uint64_t declared_size;  // what the headers claim (a bomb may lie)
};

inline std::string write_raw_zip(const std::string& name, const std::vector<RawEntry>& entries) {
  const auto u16 = [](std::string& s, std::uint32_t v) {
    s += static_cast<char>(v & 0xFF);
    s += static_cast<char>((v >> 8) & 0xFF);
  };
  const auto u32 = [&](std::string& s, std::uint32_t v) {
    u16(s, v & 0xFFFF);
    u16(s, v >> 16);
  };
  std::string out;
  std::string central;
  for (const RawEntry& e : entries) {
    const auto offset = static_cast<std::uint32_t>(out.size());
    const auto header = [&](std::string& s, bool is_central) {
      u32(s, is_central ? 0x02014b50 : 0x04034b50);
      if (is_central) u16(s, 20);  // version made by
      u16(s, 20);                  // version needed
      u16(s, 0);                   // flags
      u16(s, 8);                   // deflate
      u16(s, 0);                   // time
      u16(s, 0x21);                // date 1980-01-01
      u32(s, e.content.crc);
      u32(s, static_cast<std::uint32_t>(e.content.data.size()));
      u32(s, static_cast<std::uint32_t>(e.declared_size));
      u16(s, static_cast<std::uint32_t>(e.name.size()));
      u16(s, 0);  // extra
      if (is_central) {
        u16(s, 0);  // comment
        u16(s, 0);  // disk
        u16(s, 0);  // internal attributes
        u32(s, 0);  // external attributes
        u32(s, offset);
      }
      s += e.name;
    };
    header(out, false);
    out += e.content.data;
    header(central, true);
  }
  const auto central_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  u32(out, 0x06054b50);
  u16(out, 0);
  u16(out, 0);
  u16(out, static_cast<std::uint32_t>(entries.size()));
  u16(out, static_cast<std::uint32_t>(entries.size()));
  u32(out, static_cast<std::uint32_t>(central.size()));
  u32(out, central_offset);
  u16(out, 0);
  return write_file(name, out);
}

inline Deflated deflated(std::string_view bytes) {
  return deflate_pieces({{std::string(bytes), 1}});
}

}  // namespace cm::test
