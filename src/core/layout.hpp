// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// What a generated document (the signature certificate) says, as plain data: a title and
// sections of labelled values. src/render lays it out on A4 pages and writes the PDF; keeping the
// content here lets it be built and tested without fonts or I/O.

#include <cstdint>
#include <string>
#include <vector>

namespace cm::layout {

struct Field {
  std::string label;  // UTF-8
  std::string value;  // UTF-8, any script; wrapped at word boundaries
  // Identifiers and hashes: set in a monospaced font and broken anywhere when too long.
  bool code = false;
};

// A group of fields drawn as one table; the heading (when not empty) is its shaded first row.
struct Block {
  std::string heading;
  std::vector<Field> fields;
};

struct Section {
  std::string title;
  std::vector<Block> blocks;
};

struct Document {
  std::string title;     // the first page's heading and the PDF's Title
  std::string subtitle;  // a line under the title
  std::vector<Section> sections;
  std::string footer;           // left of the "Page n of m" footer on every page
  std::int64_t created_at = 0;  // Unix ms: the PDF's creation date (output is deterministic)
};

}  // namespace cm::layout
